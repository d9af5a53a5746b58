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

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReducingState;
import org.apache.flink.api.common.state.ReducingStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import javax.annotation.Nullable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keyed state of several kinds (value, list, map, reducing) plus event-time timers; at the end of
 * the input (the final watermark fires the timer at Long.MAX_VALUE) one summary per key.
 *
 * <p>Failure injection across processes: when the failure marker file exists, the subtask that
 * manages to delete it throws once. Deleting is atomic, so exactly one task fails per marker.
 */
public class KeyedSummaryFunction extends KeyedProcessFunction<Long, Long, String> {

    private static final long serialVersionUID = 1L;

    static final long TIMER_OFFSET = 5;

    private final int keys;
    @Nullable private final String failureMarker;

    private transient Path failureMarkerPath;
    private transient ValueState<Long> count;
    private transient ListState<Long> values;
    private transient MapState<Long, Long> buckets;
    private transient ReducingState<Long> sum;
    private transient ValueState<Long> timersFired;

    public KeyedSummaryFunction(int keys, @Nullable String failureMarker) {
        this.keys = keys;
        this.failureMarker = failureMarker;
    }

    @Override
    public void open(OpenContext openContext) {
        failureMarkerPath = failureMarker == null ? null : Paths.get(failureMarker);
        count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        values = getRuntimeContext().getListState(new ListStateDescriptor<>("values", Types.LONG));
        buckets =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>("buckets", Types.LONG, Types.LONG));
        sum =
                getRuntimeContext()
                        .getReducingState(
                                new ReducingStateDescriptor<>("sum", Long::sum, Types.LONG));
        timersFired =
                getRuntimeContext().getState(new ValueStateDescriptor<>("timers", Types.LONG));
    }

    @Override
    public void processElement(Long value, Context ctx, Collector<String> out) throws Exception {
        if (failureMarkerPath != null
                && Files.exists(failureMarkerPath)
                && Files.deleteIfExists(failureMarkerPath)) {
            throw new RuntimeException("Injected task failure (marker file " + failureMarker + ")");
        }
        count.update(orZero(count.value()) + 1);
        values.add(value);
        long bucket = value % 7;
        Long inBucket = buckets.get(bucket);
        buckets.put(bucket, inBucket == null ? 1 : inBucket + 1);
        sum.add(value);
        ctx.timerService().registerEventTimeTimer(value + TIMER_OFFSET);
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out)
            throws Exception {
        if (timestamp != Long.MAX_VALUE) {
            boolean rightTime = ctx.timerService().currentWatermark() >= timestamp;
            boolean rightKey = (timestamp - TIMER_OFFSET) % keys == ctx.getCurrentKey();
            if (!rightTime || !rightKey) {
                throw new IllegalStateException(
                        "Timer "
                                + timestamp
                                + " fired for key "
                                + ctx.getCurrentKey()
                                + " at watermark "
                                + ctx.timerService().currentWatermark());
            }
            timersFired.update(orZero(timersFired.value()) + 1);
            return;
        }
        List<Long> all = new ArrayList<>();
        values.get().forEach(all::add);
        all.sort(null);
        Map<Long, Long> sortedBuckets = new TreeMap<>();
        for (Map.Entry<Long, Long> entry : buckets.entries()) {
            sortedBuckets.put(entry.getKey(), entry.getValue());
        }
        out.collect(
                summary(
                        ctx.getCurrentKey(),
                        orZero(count.value()),
                        orZero(sum.get()),
                        all,
                        sortedBuckets,
                        orZero(timersFired.value())));
    }

    static String summary(
            long key,
            long count,
            long sum,
            List<Long> sortedValues,
            Map<Long, Long> buckets,
            long timers) {
        long fingerprint = 17;
        for (Long v : sortedValues) {
            fingerprint = fingerprint * 31 + v;
        }
        return String.format(
                "key=%d count=%d sum=%d values=%d/%d buckets=%s timers=%d",
                key, count, sum, sortedValues.size(), fingerprint, buckets, timers);
    }

    private static long orZero(@Nullable Long value) {
        return value == null ? 0L : value;
    }
}
