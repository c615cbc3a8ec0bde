import type { Rule, RuleHit } from '../types';
import { imageParts, jobServices, locateOrJob, type ServiceReference } from '../job';

/**
 * Default listening ports of common service images, by the last path
 * segment of the repository. Sources: each image's documented default
 * configuration.
 */
const DEFAULT_PORTS: Record<string, number[]> = {
  postgres: [5432],
  postgis: [5432],
  mysql: [3306],
  mariadb: [3306],
  percona: [3306],
  redis: [6379],
  valkey: [6379],
  memcached: [11211],
  mongo: [27017],
  elasticsearch: [9200, 9300],
  opensearch: [9200, 9300],
  rabbitmq: [5672],
  zookeeper: [2181],
  kafka: [9092],
  cassandra: [9042],
  clickhouse: [8123, 9000],
  'clickhouse-server': [8123, 9000],
  minio: [9000],
  nginx: [80],
  httpd: [80],
  'standalone-chrome': [4444],
  'standalone-firefox': [4444],
  mailhog: [1025, 8025],
  mailpit: [1025, 8025],
  localstack: [4566],
  keycloak: [8080],
  docker: [2375, 2376],
  couchdb: [5984],
  influxdb: [8086],
  neo4j: [7474, 7687],
  etcd: [2379, 2380],
  vault: [8200],
  consul: [8500],
  selenium: [4444],
};

function servicePorts(service: ServiceReference): number[] {
  const fromVariable = Number(service.variables.HEALTHCHECK_TCP_PORT);
  const { repository } = imageParts(service.name);
  const base = repository.split('/').pop() ?? repository;
  const known = DEFAULT_PORTS[base.toLowerCase()] ?? [];
  return Number.isInteger(fromVariable) && fromVariable > 0
    ? [...new Set([fromVariable, ...known])]
    : known;
}

/**
 * `service-port-clash`
 *
 * Why it matters: the Docker executor gives each service its own container
 * network, so two PostgreSQL services can both listen on 5432 under
 * different aliases. On Kubernetes all services run as containers of one
 * pod and share its network namespace: the second service to bind a port
 * fails with "address already in use".
 *
 * Detection: two services of one job whose images listen on the same
 * default port (from a table of common images, for example postgres 5432,
 * redis 6379, minio and clickhouse 9000) or declare the same
 * `HEALTHCHECK_TCP_PORT`.
 *
 * Fix: start the second service on another port through its `command` or
 * variables, or split the job.
 */
export const servicePortClash: Rule = {
  id: 'service-port-clash',
  severity: 'blocker',
  title: 'Two services listen on the same port',
  rationale:
    'All services of a job share one pod network on Kubernetes, so two services on the same port clash and the second one fails to start.',
  detection:
    'Two services whose images listen on the same default port (for example postgres 5432, redis 6379, minio and clickhouse 9000) or set the same HEALTHCHECK_TCP_PORT.',
  fix: 'Start one of the services on another port (through its `command` or variables) and point the job at it, or split the job.',
  check(job) {
    const hits: RuleHit[] = [];
    const owners = new Map<number, ServiceReference>();
    for (const service of jobServices(job)) {
      for (const port of servicePorts(service)) {
        const owner = owners.get(port);
        if (owner && owner.index !== service.index) {
          hits.push({
            message: `Services \`${owner.name}\` and \`${service.name}\` of job "${job.name}" both listen on port ${port}, and on Kubernetes they share one network namespace.`,
            location: locateOrJob(job, service.path),
          });
          break;
        }
        owners.set(port, service);
      }
    }
    return hits;
  },
};
