import type { Parameter, ParameterMetadata } from '@aws-sdk/client-ssm';
import type { SourceMeta } from '../core/types';

/** The metadata of a value that was not read: all of it comes from the listing. */
export function metaOfListed(meta: ParameterMetadata): SourceMeta {
  return compact({
    version: meta.Version === undefined ? undefined : String(meta.Version),
    modifiedAt: isoDate(meta.LastModifiedDate),
    modifiedBy: meta.LastModifiedUser || undefined,
    chamberVersion: chamberVersionOf(meta.Description),
  });
}

/** Version and date come from the read itself; the listing's extras only when it saw that same version. */
export function metaOfValue(parameter: Parameter, listed?: ParameterMetadata): SourceMeta {
  const sameVersion = listed !== undefined && listed.Version === parameter.Version;
  return compact({
    version: parameter.Version === undefined ? undefined : String(parameter.Version),
    modifiedAt: isoDate(parameter.LastModifiedDate),
    modifiedBy: sameVersion ? listed.LastModifiedUser || undefined : undefined,
    chamberVersion: sameVersion ? chamberVersionOf(listed.Description) : undefined,
  });
}

/** chamber writes its counter as the whole Description (`strconv.Itoa(version)`), starting at 1. */
function chamberVersionOf(description: string | undefined): number | undefined {
  if (description === undefined || !/^[1-9]\d{0,8}$/.test(description)) return undefined;
  return Number(description);
}

function isoDate(date: Date | undefined): string | undefined {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}

function compact(meta: SourceMeta): SourceMeta {
  return Object.fromEntries(Object.entries(meta).filter(([, value]) => value !== undefined)) as SourceMeta;
}
