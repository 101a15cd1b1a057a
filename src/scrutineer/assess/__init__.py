"""Assessment: benchmarks, targets, RAG, trend and statistical process control."""
