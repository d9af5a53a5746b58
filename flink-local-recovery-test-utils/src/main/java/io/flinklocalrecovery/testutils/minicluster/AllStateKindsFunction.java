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

import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.AggregatingState;
import org.apache.flink.api.common.state.AggregatingStateDescriptor;
import org.apache.flink.api.common.state.CheckpointListener;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keyed state of every kind (value, list, map, reducing, aggregating) plus event-time timers. At
 * the end of the input (the final watermark fires the timer at Long.MAX_VALUE) it emits one summary
 * per key, which depends only on the input, so any lost or duplicated state changes the output.
 */
public class AllStateKindsFunction extends KeyedProcessFunction<Long, Long, String>
        implements CheckpointListener {

    static final long TIMER_OFFSET = 5;

    private final int generation = FailureTrigger.generation();

    private transient ValueState<Long> count;
    private transient ListState<Long> values;
    private transient MapState<Long, Long> buckets;
    private transient ReducingState<Long> sum;
    private transient AggregatingState<Long, Long> max;
    private transient ValueState<Long> timersFired;

    @Override
    public void open(OpenContext openContext) {
        count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        values = getRuntimeContext().getListState(new ListStateDescriptor<>("values", Types.LONG));
        buckets =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>("buckets", Types.LONG, Types.LONG));
        sum =
                getRuntimeContext()
                        .getReducingState(
                                new ReducingStateDescriptor<>("sum", Long::sum, Types.LONG));
        max =
                getRuntimeContext()
                        .getAggregatingState(
                                new AggregatingStateDescriptor<>("max", new Max(), Types.LONG));
        timersFired =
                getRuntimeContext().getState(new ValueStateDescriptor<>("timers", Types.LONG));
    }

    @Override
    public void processElement(Long value, Context ctx, Collector<String> out) throws Exception {
        FailureTrigger.maybeFail(generation);
        count.update(orZero(count.value()) + 1);
        values.add(value);
        long bucket = value % 7;
        Long inBucket = buckets.get(bucket);
        buckets.put(bucket, inBucket == null ? 1 : inBucket + 1);
        sum.add(value);
        max.add(value);
        ctx.timerService().registerEventTimeTimer(value + TIMER_OFFSET);
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out)
            throws Exception {
        if (timestamp != Long.MAX_VALUE) {
            // a timer must fire for its own key, once the watermark has passed it
            boolean rightTime = ctx.timerService().currentWatermark() >= timestamp;
            boolean rightKey =
                    (timestamp - TIMER_OFFSET) % StatefulTestJob.KEYS == ctx.getCurrentKey();
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
                        orZero(max.get()),
                        all,
                        sortedBuckets,
                        orZero(timersFired.value())));
    }

    static String summary(
            long key,
            long count,
            long sum,
            long max,
            List<Long> sortedValues,
            Map<Long, Long> buckets,
            long timers) {
        long fingerprint = 17;
        for (Long v : sortedValues) {
            fingerprint = fingerprint * 31 + v;
        }
        return String.format(
                "key=%d count=%d sum=%d max=%d values=%d/%d buckets=%s timers=%d",
                key, count, sum, max, sortedValues.size(), fingerprint, buckets, timers);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        FailureTrigger.checkpointCompleted(generation, checkpointId);
    }

    private static long orZero(Long value) {
        return value == null ? 0L : value;
    }

    private static final class Max implements AggregateFunction<Long, Long, Long> {
        @Override
        public Long createAccumulator() {
            return Long.MIN_VALUE;
        }

        @Override
        public Long add(Long value, Long accumulator) {
            return Math.max(value, accumulator);
        }

        @Override
        public Long getResult(Long accumulator) {
            return accumulator;
        }

        @Override
        public Long merge(Long a, Long b) {
            return Math.max(a, b);
        }
    }
}
