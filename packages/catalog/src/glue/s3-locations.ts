import { CatalogError, type CatalogIssue } from '../errors';

const S3_SCHEME = 's3://';

/** Any URI scheme, such as `file://` or `https://`, which Glue tables of this lake never use. */
const SCHEME_PATTERN = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Converts between lake key prefixes (`curated/clinical/patients/`), which the
 * rest of carelake uses, and the `s3://` URIs that Glue stores as locations.
 * Locations inside the lake read back as key prefixes, so a table reads the same
 * from Glue as from the local catalog. An `s3://` URI outside the lake is kept.
 */
export class S3Locations {
  readonly bucket: string;
  /** Key prefix of the lake inside the bucket, '' or ending with '/'. */
  readonly prefix: string;
  private readonly lakeUri: string;

  constructor(bucket: string, prefix = '') {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
      throw new CatalogError(`invalid S3 bucket name "${bucket}" for the Glue catalog`, {
        hint: 'Give the bucket name alone (3 to 63 lower case letters, digits, "." or "-"), without s3:// or a key.',
      });
    }
    const trimmed = prefix.replace(/^\/+/, '');
    this.bucket = bucket;
    this.prefix = trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
    this.lakeUri = `${S3_SCHEME}${bucket}/${this.prefix}`;
  }

  /** Return the `s3://` URI of a lake key prefix, or the location itself when it is an `s3://` URI. */
  toS3Uri(location: string): string {
    if (location.startsWith(S3_SCHEME)) return location;
    return `${this.lakeUri}${location}`;
  }

  /** Return the lake key prefix of an `s3://` URI inside the lake, or the URI itself when it is outside. */
  toLakeLocation(uri: string): string {
    if (uri.startsWith(this.lakeUri) && uri.length > this.lakeUri.length) {
      return uri.slice(this.lakeUri.length);
    }
    return uri;
  }

  /** Return the form in which a location reads back from Glue, so that definitions compare equal. */
  canonical(location: string): string {
    return this.toLakeLocation(this.toS3Uri(location));
  }

  /**
   * Describe why a location cannot become an `s3://` URI, or return undefined.
   * Glue accepts any string, but Athena reads only `s3://` locations.
   */
  locationIssue(location: string, keyPath: string): CatalogIssue | undefined {
    if (location.startsWith(S3_SCHEME)) {
      if (location.length > S3_SCHEME.length && !location.startsWith(`${S3_SCHEME}/`)) {
        return undefined;
      }
      return { keyPath, message: 'location is an s3:// URI without a bucket' };
    }
    if (SCHEME_PATTERN.test(location)) {
      return {
        keyPath,
        message: `location has the scheme ${location.split(':')[0]}://, expected a lake key prefix or an s3:// URI`,
      };
    }
    if (location.startsWith('/')) {
      return {
        keyPath,
        message:
          'location starts with "/", expected a lake key prefix relative to the lake, such as curated/clinical/patients/',
      };
    }
    return undefined;
  }
}
