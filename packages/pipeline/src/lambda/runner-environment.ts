import { isAbsolute, resolve } from 'node:path';
import { PipelineError } from '../errors';

/**
 * Names of the environment variables that the CDK app in infra/ sets on each runner function.
 * File paths are relative to the function's code folder (`LAMBDA_TASK_ROOT`).
 */
export const RUNNER_ENVIRONMENT = {
  pipelineFile: 'CARELAKE_PIPELINE_FILE',
  configFile: 'CARELAKE_CONFIG_FILE',
  lakeBucket: 'CARELAKE_LAKE_BUCKET',
  lakePrefix: 'CARELAKE_LAKE_PREFIX',
  lakeKeyArn: 'CARELAKE_LAKE_KEY_ARN',
  auditBucket: 'CARELAKE_AUDIT_BUCKET',
} as const;

/** Settings of a runner function, read from its environment. */
export interface RunnerEnvironment {
  /** Absolute path of the pipeline file in the function's code. */
  pipelineFile: string;
  /** Absolute path of the carelake.yaml bundled with the function. */
  configFile: string;
  /** AWS Region the function runs in, from Lambda's own `AWS_REGION`. */
  region: string;
  lakeBucket: string;
  /** Key prefix of the lake inside the bucket; empty for the bucket's root. */
  lakePrefix: string;
  /** ARN of the KMS key that encrypts the lake bucket. */
  lakeKeyArn: string;
  /** Bucket with S3 Object Lock that keeps the audit chain's copy. */
  auditBucket: string;
}

/**
 * Read the runner's settings from the environment, reporting every missing variable at once.
 * @throws PipelineError naming the missing variables.
 */
export function readRunnerEnvironment(
  env: NodeJS.ProcessEnv,
  codeRoot: string = env['LAMBDA_TASK_ROOT'] ?? process.cwd(),
): RunnerEnvironment {
  const required = { ...RUNNER_ENVIRONMENT, region: 'AWS_REGION' };
  const missing = Object.entries(required)
    .filter(([key, name]) => key !== 'lakePrefix' && !env[name])
    .map(([, name]) => name);
  if (missing.length > 0) {
    throw new PipelineError(`the runner function's environment lacks ${missing.join(', ')}`, {
      hint: 'Deploy the function with the CDK app in infra/, which sets these variables for each pipeline.',
    });
  }

  const value = (name: string): string => env[name] ?? '';
  const inCode = (path: string): string => (isAbsolute(path) ? path : resolve(codeRoot, path));
  return {
    pipelineFile: inCode(value(RUNNER_ENVIRONMENT.pipelineFile)),
    configFile: inCode(value(RUNNER_ENVIRONMENT.configFile)),
    region: value('AWS_REGION'),
    lakeBucket: value(RUNNER_ENVIRONMENT.lakeBucket),
    lakePrefix: value(RUNNER_ENVIRONMENT.lakePrefix),
    lakeKeyArn: value(RUNNER_ENVIRONMENT.lakeKeyArn),
    auditBucket: value(RUNNER_ENVIRONMENT.auditBucket),
  };
}
