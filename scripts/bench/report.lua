-- wrk's end-of-run hook for scripts/bench/run.py: one line with the figures it parses.
-- wrk --latency prints the 50/75/90/99th percentiles only; the targets need the 95th.
done = function(summary, latency, requests)
  io.write(string.format(
    "RANTAU_BENCH requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d mean_us=%d max_us=%d "
      .. "status_errors=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean, latency.max,
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout))
end
