/**
 * The S3 request signer (aws4fetch), bundled on its own (dist/vendor/s3Client.js) and loaded
 * on first live listing, so it is not parsed at activation. Only library re-exports belong
 * here: a class of ours bundled twice would break `instanceof`.
 */
export { AwsClient } from 'aws4fetch';
