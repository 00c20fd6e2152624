/**
 * The bodies of the node-agent protocol (docs/node-agent-protocol.md): how a compute-node agent joins a pool, leases
 * tasks and reports on them. These are Rebatch's own calls under {@code /rebatch/node-agent/v1}, not Batch
 * operations, so none of these records mirrors a definition of the Batch spec.
 */
package dev.rebatch.model.agent;
