#include "trace.hpp"

#include <algorithm>

namespace threadlab {

const char* to_string(SpanKind kind) {
    switch (kind) {
        case SpanKind::task: return "task";
        case SpanKind::click: return "click";
        case SpanKind::periodic: return "periodic";
    }
    return "unknown";
}

std::string thread_name(const SpanRecord& span) {
    return span.kind == SpanKind::task ? "tl-runner-" + std::to_string(span.session)
                                       : "tl-worker-" + std::to_string(span.lane);
}

void Trace::push_span_locked(SpanRecord span) {
    m_spans.push_back(std::move(span));
    if (m_spans.size() > m_capacity) {
        m_spans.pop_front();
        m_dropped.fetch_add(1, std::memory_order_relaxed);
    }
}

void Trace::push_counter_locked(CounterSample sample) {
    m_counters.push_back(sample);
    if (m_counters.size() > m_capacity) {
        m_counters.pop_front();
    }
}

void Trace::add(SpanRecord span) {
    if (enabled()) {
        std::lock_guard lock(m_mutex);
        push_span_locked(std::move(span));
    }
}

void Trace::add_counters(const std::vector<CounterSample>& samples) {
    if (enabled() && !samples.empty()) {
        std::lock_guard lock(m_mutex);
        for (const auto& sample : samples) {
            push_counter_locked(sample);
        }
    }
}

std::unique_ptr<Trace::Shard> Trace::open_shard() {
    std::unique_ptr<Shard> shard(new Shard(*this));
    std::lock_guard lock(m_mutex);
    m_shards.push_back(shard.get());
    return shard;
}

void Trace::absorb_locked(Shard& shard) {
    std::lock_guard lock(shard.m_mutex);
    for (auto& span : shard.m_spans) {
        push_span_locked(std::move(span));
    }
    for (const auto& sample : shard.m_counters) {
        push_counter_locked(sample);
    }
    shard.m_spans.clear();
    shard.m_counters.clear();
}

Trace::Shard::~Shard() {
    std::lock_guard lock(m_trace.m_mutex);
    m_trace.absorb_locked(*this);
    std::erase(m_trace.m_shards, this);
}

void Trace::Shard::add(SpanRecord span, CounterSample sample) {
    if (!m_trace.enabled()) {
        return;
    }
    bool full = false;
    {
        std::lock_guard lock(m_mutex);
        m_spans.push_back(std::move(span));
        m_counters.push_back(sample);
        full = m_spans.size() >= batch;
    }
    if (full) {
        std::lock_guard lock(m_trace.m_mutex);
        m_trace.absorb_locked(*this);
    }
}

std::vector<SpanRecord> Trace::spans() const {
    std::vector<SpanRecord> spans;
    {
        // The trace's lock first: no shard can move its batch into the store while this reads, so
        // nothing is read twice or missed.
        std::lock_guard lock(m_mutex);
        spans.assign(m_spans.begin(), m_spans.end());
        for (const Shard* shard : m_shards) {
            std::lock_guard shard_lock(shard->m_mutex);
            spans.insert(spans.end(), shard->m_spans.begin(), shard->m_spans.end());
        }
    }
    // Shards move their spans in batches, so the store is in order only per recorder.
    std::stable_sort(spans.begin(), spans.end(),
                     [](const SpanRecord& a, const SpanRecord& b) { return a.finished < b.finished; });
    return spans;
}

std::vector<CounterSample> Trace::counters() const {
    std::vector<CounterSample> samples;
    {
        std::lock_guard lock(m_mutex);  // first, as in spans()
        samples.assign(m_counters.begin(), m_counters.end());
        for (const Shard* shard : m_shards) {
            std::lock_guard shard_lock(shard->m_mutex);
            samples.insert(samples.end(), shard->m_counters.begin(), shard->m_counters.end());
        }
    }
    // Shards move their samples in batches, and submissions' samples are recorded after them.
    std::stable_sort(samples.begin(), samples.end(),
                     [](const CounterSample& a, const CounterSample& b) { return a.when < b.when; });
    return samples;
}

}  // namespace threadlab
