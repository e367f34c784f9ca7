"""Runs a command on a pseudo-terminal and answers its prompts, as a person at a keyboard would.

Usage: pty-run.py '<json: {"argv": [...], "cwd": "...", "answers": [[prompt_regex, text], ...]}>'
Prints JSON {"code": int, "transcript": str} where the transcript is everything the terminal showed.
"""
import json, os, pty, re, select, sys, time

spec = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.chdir(spec["cwd"])
    os.execvp(spec["argv"][0], spec["argv"])

answers = list(spec.get("answers", []))
transcript = b""
deadline = time.time() + spec.get("timeout", 60)
pending = b""
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.1)
    if ready:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        transcript += chunk
        pending += chunk
    if answers and re.search(answers[0][0].encode(), pending):
        time.sleep(0.05)
        os.write(fd, answers[0][1].encode())
        answers.pop(0)
        pending = b""
_, status = os.waitpid(pid, 0)
print(json.dumps({"code": os.waitstatus_to_exitcode(status), "transcript": transcript.decode("utf-8", "replace"), "unanswered": len(answers)}))
