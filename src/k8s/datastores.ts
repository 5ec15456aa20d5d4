/**
 * Stateful servers whose second replica is a second, independent datastore: scaling their
 * Deployment or StatefulSet to 2 puts two copies with different data behind one Service. They
 * replicate through their own mechanism (or an operator that runs it), or the one pod's
 * disruption window is accepted (docs/reference/service-consumers.md#stateful-singletons).
 */

export interface Datastore {
  /** Product name, for messages. */
  name: string;
  /** Image names (last path segment of the repository) that run it. */
  images: readonly string[];
  /** Whole repositories that run it where the last segment is generic (`jaegertracing/all-in-one`). */
  repositories?: readonly string[];
  /** Container or Service port names (the protocol's IANA-style name) that say a container speaks it. */
  portNames: readonly string[];
  /** How it replicates, for the fix. */
  replicate: string;
  source: string;
}

export const DATASTORES: readonly Datastore[] = [
  {
    name: 'Redis',
    images: ['redis', 'redis-stack-server'],
    portNames: ['redis'],
    replicate: 'Redis replication with Sentinel, or Redis Cluster (an operator runs either)',
    source: 'https://redis.io/docs/latest/operate/oss_and_stack/management/replication/',
  },
  {
    name: 'Valkey',
    images: ['valkey'],
    portNames: ['valkey'],
    replicate: 'Valkey replication with Sentinel, or Valkey Cluster',
    source: 'https://valkey.io/topics/replication/',
  },
  {
    name: 'PostgreSQL',
    images: ['postgres', 'postgresql', 'postgis'],
    portNames: ['postgres', 'postgresql'],
    replicate: 'streaming replication with a failover manager (an operator such as CloudNativePG runs both)',
    source: 'https://www.postgresql.org/docs/current/high-availability.html',
  },
  {
    name: 'MySQL',
    images: ['mysql', 'percona-server'],
    portNames: ['mysql'],
    replicate: 'MySQL replication or Group Replication (an operator runs either)',
    source: 'https://dev.mysql.com/doc/refman/8.4/en/replication.html',
  },
  {
    name: 'MariaDB',
    images: ['mariadb'],
    portNames: ['mariadb'],
    replicate: 'MariaDB replication or Galera (an operator runs either)',
    source: 'https://mariadb.com/kb/en/standard-replication/',
  },
  {
    name: 'MongoDB',
    images: ['mongo', 'mongodb', 'mongodb-community-server'],
    portNames: ['mongo', 'mongodb'],
    replicate: 'a MongoDB replica set (an operator runs one)',
    source: 'https://www.mongodb.com/docs/manual/replication/',
  },
  {
    name: 'DocumentDB',
    images: ['documentdb-local', 'documentdb'],
    portNames: ['documentdb'],
    replicate: 'the replication of the PostgreSQL it is built on',
    source: 'https://github.com/documentdb/documentdb',
  },
  {
    name: 'RabbitMQ',
    images: ['rabbitmq'],
    portNames: ['amqp', 'rabbitmq', 'rabbitmq-amqp'],
    replicate: 'a RabbitMQ cluster with quorum queues (the RabbitMQ Cluster Operator runs one)',
    source: 'https://www.rabbitmq.com/docs/clustering',
  },
  {
    name: 'Kafka',
    images: ['kafka', 'cp-kafka'],
    portNames: ['kafka'],
    replicate: 'more brokers with topic replication (an operator such as Strimzi runs them)',
    source: 'https://kafka.apache.org/documentation/#replication',
  },
  {
    name: 'Elasticsearch',
    images: ['elasticsearch'],
    portNames: ['elasticsearch'],
    replicate: 'a multi-node cluster with replica shards (ECK runs one)',
    source: 'https://www.elastic.co/guide/en/elasticsearch/reference/current/scalability.html',
  },
  {
    name: 'OpenSearch',
    images: ['opensearch'],
    portNames: ['opensearch'],
    replicate: 'a multi-node cluster with replica shards (the OpenSearch operator runs one)',
    source: 'https://opensearch.org/docs/latest/tuning-your-cluster/',
  },
  {
    name: 'Jaeger (in-memory storage)',
    images: ['jaeger'],
    repositories: ['jaegertracing/all-in-one'],
    portNames: [],
    replicate: 'shared storage (Elasticsearch, OpenSearch or Cassandra) first: with in-memory storage each replica keeps its own traces',
    source: 'https://www.jaegertracing.io/docs/latest/getting-started/',
  },
  {
    name: 'Zipkin (in-memory storage)',
    images: ['zipkin'],
    portNames: [],
    replicate: 'shared storage (Elasticsearch or Cassandra) first: with the default in-memory storage each replica keeps its own traces',
    source: 'https://github.com/openzipkin/zipkin/tree/master/zipkin-server#storage',
  },
  {
    name: 'a container registry (filesystem storage)',
    images: ['registry', 'distribution'],
    portNames: [],
    replicate: 'object storage (S3, GCS, Azure) shared by the replicas first: the default filesystem storage is per pod',
    source: 'https://distribution.github.io/distribution/about/configuration/#storage',
  },
];

/** The datastore an image runs, by its repository (`bitnami/redis`, `docker.io/library/postgres`). */
export function datastoreForImage(repository: string): Datastore | undefined {
  const r = repository.toLowerCase();
  const name = r.slice(r.lastIndexOf('/') + 1);
  return DATASTORES.find((d) => d.images.includes(name) || (d.repositories ?? []).some((full) => r === full || r.endsWith(`/${full}`)));
}

/** The datastore a port name says a container speaks (`mongo`, `mysql`), for images built on one. */
export function datastoreForPortName(name: string | undefined): Datastore | undefined {
  if (name === undefined) return undefined;
  const n = name.toLowerCase();
  return DATASTORES.find((d) => d.portNames.includes(n));
}
