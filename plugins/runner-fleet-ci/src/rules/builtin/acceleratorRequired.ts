import type { Rule, RuleHit } from '../types';
import type { TagMeanings } from '../../config';
import { jobCommands, jobTags, jobVariables, locateCommand } from '../job';

type Accelerator = 'gpu' | 'fpga' | 'spark';

const COMMANDS: Record<string, Accelerator> = {
  'nvidia-smi': 'gpu',
  'rocm-smi': 'gpu',
  'amd-smi': 'gpu',
  xbutil: 'fpga',
  xbmgmt: 'fpga',
  vivado: 'fpga',
  vitis: 'fpga',
  'v++': 'fpga',
  vitis_hls: 'fpga',
  vivado_hls: 'fpga',
  quartus_sh: 'fpga',
  aoc: 'fpga',
  'spark-submit': 'spark',
  'spark-shell': 'spark',
  'spark-sql': 'spark',
  pyspark: 'spark',
  sparkR: 'spark',
};

const VARIABLES: Record<string, Accelerator> = {
  NVIDIA_VISIBLE_DEVICES: 'gpu',
  CUDA_VISIBLE_DEVICES: 'gpu',
  SPARK_MASTER: 'spark',
  XILINX_XRT: 'fpga',
};

const LABELS: Record<Accelerator, string> = {
  gpu: 'a GPU',
  fpga: 'an FPGA',
  spark: 'an Apache Spark cluster',
};

/**
 * `accelerator-required`
 *
 * Why it matters: GPUs, FPGA cards with their tool licences and the Spark
 * cluster exist only in their own hardware pools. The default fleet's
 * nodes have none of them, so a job that needs one must carry the pool's
 * tag (`gpu`, `fpga`, `spark` by default). Compiling CUDA code needs no
 * GPU and is not reported.
 *
 * Detection: GPU commands (nvidia-smi, rocm-smi), FPGA tools (xbutil,
 * vivado, vitis, v++, quartus_sh, aoc), Spark commands (spark-submit,
 * pyspark, spark-shell) or variables such as NVIDIA_VISIBLE_DEVICES and
 * SPARK_MASTER, in a job without the matching tag.
 *
 * Fix: add the tag. The FPGA fleet is restricted and the Spark and GPU
 * fleets are on request: ask the platform team for access first.
 */
export const acceleratorRequired: Rule = {
  id: 'accelerator-required',
  severity: 'warning',
  title: 'Job needs an accelerator but has no tag for it',
  rationale:
    'GPUs, FPGA cards and the Spark cluster exist only in their own hardware pools, reached through their tags; the default fleet has none of them.',
  detection:
    'GPU commands (nvidia-smi, rocm-smi), FPGA tools (xbutil, vivado, vitis, v++, quartus_sh, aoc), Spark commands (spark-submit, pyspark, spark-shell) or variables such as NVIDIA_VISIBLE_DEVICES, in a job without the matching tag.',
  fix: 'Add the tag of the matching fleet (`gpu`, `fpga` or `spark` by default). The FPGA fleet is restricted and the GPU and Spark fleets are on request, so ask the platform team for access.',
  check(job, { pipeline, config }) {
    const tags = new Set(jobTags(job).map(({ tag }) => tag));
    const hasTag = (accelerator: Accelerator) =>
      tagsFor(config.tags, accelerator).some(tag => tags.has(tag));
    const hits: RuleHit[] = [];
    const reported = new Set<Accelerator>();
    for (const located of jobCommands(job)) {
      const accelerator = COMMANDS[located.command.name];
      if (!accelerator || hasTag(accelerator) || reported.has(accelerator)) {
        continue;
      }
      reported.add(accelerator);
      hits.push({
        message: `Job "${job.name}" runs \`${located.command.name}\`, which needs ${LABELS[accelerator]}, but has no \`${tagsFor(config.tags, accelerator)[0] ?? accelerator}\` tag.`,
        location: locateCommand(job, pipeline, located),
      });
    }
    for (const variable of jobVariables(job, pipeline)) {
      const accelerator = VARIABLES[variable.name];
      if (!accelerator || hasTag(accelerator) || reported.has(accelerator) || variable.scope !== 'job') {
        continue;
      }
      reported.add(accelerator);
      hits.push({
        message: `Job "${job.name}" sets ${variable.name}, which needs ${LABELS[accelerator]}, but has no \`${tagsFor(config.tags, accelerator)[0] ?? accelerator}\` tag.`,
        location: variable.location ?? job.location,
      });
    }
    return hits;
  },
};

function tagsFor(tags: TagMeanings, accelerator: Accelerator): string[] {
  return tags[accelerator];
}
