/** The importer of each source, by the name `keyward import <source>` and the API use. */
import type { ImportParser, ImportSource } from '../import-batch.js';
import { parseAwsIam } from './aws/aws-iam-importer.js';
import { parseGeneric } from './generic/generic-importer.js';
import { parseGitHub } from './github/github-importer.js';
import { parseKubernetes } from './kubernetes/kubernetes-importer.js';

export const IMPORT_PARSERS: Readonly<Record<ImportSource, ImportParser>> = {
  'aws-iam': parseAwsIam,
  kubernetes: parseKubernetes,
  github: parseGitHub,
  generic: parseGeneric,
};
