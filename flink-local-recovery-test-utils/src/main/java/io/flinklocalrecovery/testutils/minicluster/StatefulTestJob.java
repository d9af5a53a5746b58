/*
 * Copyright 2026 The flink-local-recovery authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.flinklocalrecovery.testutils.minicluster;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The job the integration tests run: a paced number source, an operator with list, union-list and
 * broadcast state, and a keyed operator with every keyed state kind and event-time timers.
 */
public final class StatefulTestJob {

    public static final String KEYED_OPERATOR = "all-state-kinds";
    public static final String OPERATOR_STATE_OPERATOR = "operator-state";
    public static final String SOURCE = "numbers";
    public static final int KEYS = 8;

    private StatefulTestJob() {}

    /** Builds the pipeline; returns the stream of per-key summaries. */
    public static DataStream<String> build(
            StreamExecutionEnvironment env, long records, double recordsPerSecond) {
        return build(env, records, RateLimiterStrategy.perSecond(recordsPerSecond));
    }

    /**
     * Builds the pipeline with the source paced by {@code pace}: {@link
     * RateLimiterStrategy#perCheckpoint} makes a run span a number of checkpoints however slow the
     * machine is.
     */
    public static DataStream<String> build(
            StreamExecutionEnvironment env, long records, RateLimiterStrategy pace) {
        DataGeneratorSource<Long> numbers =
                new DataGeneratorSource<>(index -> index, records, pace, Types.LONG);
        DataStream<Long> source =
                env.fromSource(
                                numbers,
                                WatermarkStrategy.<Long>forMonotonousTimestamps()
                                        .withTimestampAssigner((value, ts) -> value),
                                SOURCE)
                        .uid(SOURCE);
        BroadcastStream<String> rules =
                env.fromData("rule-1")
                        .name("rules")
                        .uid("rules")
                        .broadcast(OperatorStateFunction.RULES);
        return source.connect(rules)
                .process(new OperatorStateFunction())
                .name(OPERATOR_STATE_OPERATOR)
                .uid(OPERATOR_STATE_OPERATOR)
                .keyBy(value -> value % KEYS, Types.LONG)
                .process(new AllStateKindsFunction())
                .name(KEYED_OPERATOR)
                .uid(KEYED_OPERATOR);
    }

    /** The output of a failure-free run, computed directly from the input. */
    public static List<String> expectedOutput(long records) {
        List<String> expected = new ArrayList<>();
        for (long key = 0; key < KEYS; key++) {
            long count = 0;
            long sum = 0;
            long max = Long.MIN_VALUE;
            List<Long> values = new ArrayList<>();
            Map<Long, Long> buckets = new TreeMap<>();
            for (long v = key; v < records; v += KEYS) {
                count++;
                sum += v;
                max = Math.max(max, v);
                values.add(v);
                buckets.merge(v % 7, 1L, Long::sum);
            }
            if (count > 0) {
                expected.add(
                        AllStateKindsFunction.summary(
                                key, count, sum, max, values, buckets, count));
            }
        }
        expected.sort(null);
        return expected;
    }
}
