/**
 * Third-party code bundled on its own (dist/vendor/yaml.js) and loaded on first use, so its
 * ~110 KiB are not parsed at activation. Only library re-exports belong here: a class of ours
 * bundled twice would break `instanceof`.
 */
export { parse, parseDocument, isMap, isSeq, isScalar } from 'yaml';
