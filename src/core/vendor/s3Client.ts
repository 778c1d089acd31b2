/**
 * The S3 request signer and XML parser, bundled on their own (dist/vendor/s3Client.js) and loaded
 * on first live listing, so they are not parsed at activation. Only library re-exports belong
 * here: a class of ours bundled twice would break `instanceof`.
 */
export { AwsClient } from 'aws4fetch';
export { XMLParser } from 'fast-xml-parser';
