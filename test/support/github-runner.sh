#!/usr/bin/env bash
# A GitHub Actions job, as the runner (actions/runner) treats each step, for tests:
#
#   bash test/support/github-runner.sh WORKDIR 'step 1 command' ['step 2 command' ...]
#
# Each step runs in bash with GITHUB_ENV pointing at a fresh empty file. Its output (stdout and stderr) is read
# line by line as the runner does: `::add-mask::DATA` registers DATA (unescaped %0D, %0A, %25 in that order) and is not logged; every
# other line is logged with each mask registered so far replaced by ***. After the step, the GITHUB_ENV file is
# read with the runner's rules (NAME=VALUE, or NAME<<DELIMITER and every line up to the line equal to DELIMITER),
# and those variables are set for the later steps. Left in WORKDIR:
#   step-N.log   the masked log of step N      env/NAME   every variable set through GITHUB_ENV, byte for byte
#   masks/K      every registered mask, byte for byte
set -euo pipefail
work=$1
shift
mkdir -p "$work/env" "$work/masks"
masks=()

register_mask() {
  local data=$1
  data=${data//%0D/$'\r'}
  data=${data//%0A/$'\n'}
  data=${data//%25/%}
  # The runner ignores a blank mask (with a warning).
  if [[ -z ${data//[[:space:]]/} ]]; then return; fi
  masks+=("$data")
  printf '%s' "$data" >"$work/masks/${#masks[@]}"
  # The runner masks the union of every secret's matches at once; applying the longest first comes closest
  # (a shorter mask applied first could break a longer one's match) and can only ever mask less, never more.
  local i j swap
  for ((i = ${#masks[@]} - 1; i > 0; i--)); do
    j=$((i - 1))
    if ((${#masks[j]} >= ${#masks[i]})); then break; fi
    swap=${masks[j]}
    masks[j]=${masks[i]}
    masks[i]=$swap
  done
}

mask_line() {
  local line=$1 mask
  for mask in "${masks[@]}"; do line=${line//"$mask"/***}; done
  printf '%s\n' "$line"
}

read_env_file() {
  local file=$1 line name delimiter value i=0 n
  local -a lines=()
  mapfile -t lines <"$file"
  n=${#lines[@]}
  while ((i < n)); do
    line=${lines[i]}
    i=$((i + 1))
    [[ -z $line ]] && continue
    local before_eq=${line%%=*} before_hd=${line%%<<*}
    if [[ $before_eq != "$line" && (${before_hd} == "$line" || ${#before_eq} -lt ${#before_hd}) ]]; then
      name=$before_eq
      value=${line#*=}
    elif [[ $before_hd != "$line" ]]; then
      name=$before_hd
      delimiter=${line#*<<}
      if [[ -z $name || -z $delimiter ]]; then
        echo "github-runner: invalid heredoc line in GITHUB_ENV" >&2
        return 1
      fi
      value=
      local first=1 found=0
      while ((i < n)); do
        line=${lines[i]}
        i=$((i + 1))
        if [[ $line == "$delimiter" ]]; then
          found=1
          break
        fi
        if ((first)); then value=$line; first=0; else value+=$'\n'"$line"; fi
      done
      if ((!found)); then
        echo "github-runner: matching delimiter not found" >&2
        return 1
      fi
    else
      echo "github-runner: invalid line in GITHUB_ENV" >&2
      return 1
    fi
    printf '%s' "$value" >"$work/env/$name"
    export "$name=$value"
  done
}

step=0
for command in "$@"; do
  step=$((step + 1))
  env_file="$work/github-env-$step"
  : >"$env_file"
  set +e
  # Like the runner, one log of both streams, each line read for workflow commands and masked.
  GITHUB_ENV=$env_file bash -c "$command" >"$work/stdout-$step" 2>&1
  status=$?
  set -e
  : >"$work/step-$step.log"
  while IFS= read -r line || [[ -n $line ]]; do
    if [[ $line == '::add-mask::'* ]]; then
      register_mask "${line#'::add-mask::'}"
    else
      mask_line "$line" >>"$work/step-$step.log"
    fi
  done <"$work/stdout-$step"
  rm -f "$work/stdout-$step"
  if ((status != 0)); then
    echo "github-runner: step $step failed with exit $status" >&2
    exit "$status"
  fi
  read_env_file "$env_file"
done
