/** Environment variable through which global setup hands the test cluster to workers. */
export const CLUSTER_ENV = 'HARBOUR_TEST_CLUSTER';
