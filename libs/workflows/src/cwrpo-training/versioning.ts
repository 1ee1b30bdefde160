import type { WorkflowDefinitionOptionsOrGetter } from '@temporalio/common';
import { workflowInfo } from '@temporalio/workflow';

/**
 * With Worker Deployments, a run that lasts days must not stay pinned to the build it started on:
 * it moves to the current version at its next workflow task (changes go behind patched()).
 * Sessions keep the worker's default (PINNED). An unversioned worker may not declare a behaviour
 * (the server refuses the task); such a worker reports a build id but no deployment name.
 * The bundle's entry attaches it to the exported `cwrpoTraining` (index.ts): the SDK reads it there.
 */
export const trainingVersioning: WorkflowDefinitionOptionsOrGetter = () =>
  workflowInfo().currentDeploymentVersion?.deploymentName ? { versioningBehavior: 'AUTO_UPGRADE' } : {};
