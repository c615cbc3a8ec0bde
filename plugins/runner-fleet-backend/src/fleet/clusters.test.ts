import type { GitLabJob } from '../lib/gitlab';
import { clusterRefOfRunner, countJobsByCluster } from './clusters';

const upgradeFleet = {
  namespace: 'default',
  clusterRefs: ['resource:default/cluster-default-v2', 'resource:default/cluster-default-v3'],
};

function job(id: number, runnerId: number, description: string): GitLabJob {
  return { id, status: 'running', runner: { id: runnerId, description } };
}

describe('clusterRefOfRunner', () => {
  it('matches a described cluster to spec.clusters', () => {
    const fleet = { namespace: 'ci', clusterRefs: ['resource:infra/cluster-default-v3'] };
    expect(clusterRefOfRunner(fleet, 'k8s-default @ cluster-default-v3')).toBe(
      'resource:infra/cluster-default-v3',
    );
  });

  it('puts an undeclared cluster in the fleet namespace', () => {
    expect(clusterRefOfRunner(upgradeFleet, 'k8s-arm @ Cluster_ARM')).toBe(
      'resource:default/cluster-arm',
    );
  });

  it('uses the only declared cluster without a description', () => {
    const fleet = { namespace: 'default', clusterRefs: ['resource:default/cluster-fpga'] };
    expect(clusterRefOfRunner(fleet, 'fpga runner')).toBe('resource:default/cluster-fpga');
    expect(clusterRefOfRunner(fleet, undefined)).toBe('resource:default/cluster-fpga');
  });

  it('returns undefined when the cluster is ambiguous', () => {
    expect(clusterRefOfRunner(upgradeFleet, 'k8s-default runner')).toBeUndefined();
    expect(clusterRefOfRunner({ namespace: 'default', clusterRefs: [] }, '')).toBeUndefined();
  });

  it('requires spaces around the at sign', () => {
    expect(clusterRefOfRunner(upgradeFleet, 'ops@cluster-default-v3')).toBeUndefined();
  });
});

describe('countJobsByCluster', () => {
  const v2 = 'k8s-default @ cluster-default-v2';
  const v3 = 'k8s-default @ cluster-default-v3';

  it('splits running and started jobs over clusters', () => {
    const clusters = countJobsByCluster(upgradeFleet, [
      { runnerId: 1, running: [job(1, 1, v2)], startedInWindow: [job(1, 1, v2)] },
      {
        runnerId: 2,
        running: [job(2, 2, v3), job(3, 2, v3)],
        startedInWindow: [job(2, 2, v3), job(3, 2, v3), job(4, 2, v3)],
      },
      { runnerId: 3, running: [], startedInWindow: [] },
    ]);
    expect(clusters).toEqual([
      { clusterRef: 'resource:default/cluster-default-v2', runningJobs: 1, jobsStarted: 1, share: 0.25 },
      { clusterRef: 'resource:default/cluster-default-v3', runningJobs: 2, jobsStarted: 3, share: 0.75 },
    ]);
  });

  it('lists idle declared clusters with zeros', () => {
    const clusters = countJobsByCluster(upgradeFleet, []);
    expect(clusters.map(c => [c.clusterRef, c.runningJobs, c.jobsStarted, c.share])).toEqual([
      ['resource:default/cluster-default-v2', 0, 0, 0],
      ['resource:default/cluster-default-v3', 0, 0, 0],
    ]);
  });

  it('appends clusters found only in descriptions', () => {
    const clusters = countJobsByCluster(upgradeFleet, [
      { runnerId: 9, running: [], startedInWindow: [job(9, 9, 'k8s-default @ cluster-default-v4')] },
    ]);
    expect(clusters.map(c => c.clusterRef)).toEqual([
      'resource:default/cluster-default-v2',
      'resource:default/cluster-default-v3',
      'resource:default/cluster-default-v4',
    ]);
    expect(clusters[2].share).toBe(1);
  });

  it('leaves out runners of unknown clusters', () => {
    const clusters = countJobsByCluster(upgradeFleet, [
      { runnerId: 1, running: [job(1, 1, 'no cluster here')], startedInWindow: [job(1, 1, 'no cluster here')] },
      { runnerId: 2, running: [], startedInWindow: [job(2, 2, v3)] },
    ]);
    expect(clusters.map(c => c.runningJobs)).toEqual([0, 0]);
    expect(clusters.map(c => c.share)).toEqual([0, 1]);
  });

  it('counts a job listed twice once', () => {
    const clusters = countJobsByCluster(upgradeFleet, [
      { runnerId: 2, running: [job(5, 2, v3)], startedInWindow: [job(5, 2, v3), job(5, 2, v3)] },
    ]);
    expect(clusters[1].jobsStarted).toBe(1);
  });
});
