package dev.streamingcdp.bench;

import dev.streamingcdp.config.JobDefinition;
import dev.streamingcdp.simulator.JobInput;
import dev.streamingcdp.simulator.SimulationOptions;
import dev.streamingcdp.simulator.TrafficGenerator;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Option;

/** The load knobs every phase shares, so baseline, throughput and latency phases see the same traffic mix. */
public class TrafficOptions {

    @Option(names = "--customers", defaultValue = "10000", description = "Simulated customers (default: ${DEFAULT-VALUE}).")
    int customers;

    @Option(names = "--merge-share", defaultValue = "0.02",
            description = "Share of records that start a merge (an anonymous page view, later linked to a new user id), "
                    + "on top of the merges the simulator's journeys cause (default: ${DEFAULT-VALUE}).")
    double mergeShare;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    /**
     * Simulator traffic with its usual shares of malformed records and re-sends, all JSON: the baseline reads the JSON
     * topic only, and both jobs must see the same input.
     */
    BenchTraffic traffic(JobDefinition job, String tag, double probeShare, long linkDelayRecords, Instant start,
            Duration timeStep) {
        JobInput input = JobInput.of(job);
        SimulationOptions sim = new SimulationOptions(seed, customers, 0.02, 0.01, 0, start, timeStep);
        return new BenchTraffic(new TrafficGenerator(sim, input), input.jsonTopic(), tag, mergeShare, probeShare,
                linkDelayRecords, start, timeStep, seed);
    }
}
