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
package io.flinklocalrecovery.testutils.job;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The job the real-cluster tests submit: a paced number source (its reader position is operator
 * state) and a keyed operator with every keyed state kind and event-time timers, which emits one
 * summary per key at the end of the input. The summaries depend only on the input, so any lost or
 * duplicated state changes the output.
 *
 * <p>The test steers the job through marker files, since its tasks run in other processes: the
 * source stays paced until the release marker exists, and a task fails once when the failure marker
 * exists (see {@link KeyedSummaryFunction}).
 */
public final class ClusterTestJob {

    public static final String SOURCE = "numbers";
    public static final String KEYED_OPERATOR = "keyed-summaries";

    private ClusterTestJob() {}

    /** Builds the pipeline; returns the stream of per-key summaries. */
    public static DataStream<String> build(
            StreamExecutionEnvironment env,
            long records,
            int keys,
            double recordsPerSecond,
            String releaseMarker,
            @Nullable String failureMarker) {
        DataGeneratorSource<Long> numbers =
                new DataGeneratorSource<>(
                        index -> index,
                        records,
                        new PacedUntilReleased(recordsPerSecond, releaseMarker),
                        Types.LONG);
        return env.fromSource(
                        numbers,
                        WatermarkStrategy.<Long>forMonotonousTimestamps()
                                .withTimestampAssigner((value, ts) -> value),
                        SOURCE)
                .uid(SOURCE)
                .keyBy(value -> value % keys, Types.LONG)
                .process(new KeyedSummaryFunction(keys, failureMarker))
                .name(KEYED_OPERATOR)
                .uid(KEYED_OPERATOR);
    }

    /** The output of a failure-free run, computed directly from the input, sorted. */
    public static List<String> expectedOutput(long records, int keys) {
        List<String> expected = new ArrayList<>();
        for (long key = 0; key < keys; key++) {
            long count = 0;
            long sum = 0;
            List<Long> values = new ArrayList<>();
            Map<Long, Long> buckets = new TreeMap<>();
            for (long v = key; v < records; v += keys) {
                count++;
                sum += v;
                values.add(v);
                buckets.merge(v % 7, 1L, Long::sum);
            }
            if (count > 0) {
                expected.add(KeyedSummaryFunction.summary(key, count, sum, values, buckets, count));
            }
        }
        expected.sort(null);
        return expected;
    }
}
