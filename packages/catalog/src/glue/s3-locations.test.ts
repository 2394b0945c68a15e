// S3Locations is pure string mapping; nothing is faked and nothing is sent.
import { CatalogError } from '../errors';
import { S3Locations } from './s3-locations';

describe('S3Locations', () => {
  it.each([
    { case: 'prefix with slash', prefix: 'lake/', uri: 's3://carelake-lake/lake/raw/feed/' },
    { case: 'prefix without slash', prefix: 'lake', uri: 's3://carelake-lake/lake/raw/feed/' },
    {
      case: 'prefix with leading slash',
      prefix: '/lake/',
      uri: 's3://carelake-lake/lake/raw/feed/',
    },
    { case: 'nested prefix', prefix: 'org/lake', uri: 's3://carelake-lake/org/lake/raw/feed/' },
    { case: 'whole bucket', prefix: '', uri: 's3://carelake-lake/raw/feed/' },
  ])('maps key prefix with $case', ({ prefix, uri }) => {
    const locations = new S3Locations('carelake-lake', prefix);

    expect(locations.toS3Uri('raw/feed/')).toBe(uri);
    expect(locations.toLakeLocation(uri)).toBe('raw/feed/');
  });

  it.each([
    { case: 'other bucket', uri: 's3://partner-exports/lake/raw/feed/' },
    { case: 'bucket sharing name start', uri: 's3://carelake-lake-2/lake/raw/feed/' },
    { case: 'outside lake prefix', uri: 's3://carelake-lake/other/raw/feed/' },
    { case: 'lake root itself', uri: 's3://carelake-lake/lake/' },
  ])('keeps URI of $case', ({ uri }) => {
    const locations = new S3Locations('carelake-lake', 'lake/');

    expect(locations.toLakeLocation(uri)).toBe(uri);
    expect(locations.toS3Uri(uri)).toBe(uri);
  });

  it('canonicalizes lake URIs to key prefixes', () => {
    const locations = new S3Locations('carelake-lake', 'lake/');

    expect(locations.canonical('s3://carelake-lake/lake/raw/feed/')).toBe('raw/feed/');
    expect(locations.canonical('raw/feed/')).toBe('raw/feed/');
  });

  it.each([
    { case: 'empty', bucket: '' },
    { case: 'URI', bucket: 's3://carelake-lake' },
    { case: 'bucket with key', bucket: 'carelake-lake/lake' },
    { case: 'upper case', bucket: 'CarelakeLake' },
  ])('rejects bucket $case', ({ bucket }) => {
    expect(() => new S3Locations(bucket)).toThrow(CatalogError);
  });

  it.each([
    { case: 'lake key prefix', location: 'curated/clinical/patients/', valid: true },
    { case: 's3 URI', location: 's3://partner-exports/x/', valid: true },
    { case: 'https URL', location: 'https://example.org/x/', valid: false },
    { case: 'absolute path', location: '/data/x/', valid: false },
    { case: 's3 URI without bucket', location: 's3://', valid: false },
  ])('checks $case', ({ location, valid }) => {
    const issue = new S3Locations('carelake-lake').locationIssue(location, 'location');

    expect(issue === undefined).toBe(valid);
  });
});
