package io.rvi.coordinator.store;

/**
 * The outcome of storing a batch: how many events were new, and the highest seq of the batch now in
 * the journal (stored now or earlier; 0 when the agent has none).
 */
public record InsertResult(int stored, long ackedSeq) {}
