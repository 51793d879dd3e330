#include "trace.hpp"

#include <algorithm>

namespace threadlab {

const char* to_string(SpanKind kind) {
    switch (kind) {
        case SpanKind::task: return "task";
        case SpanKind::click: return "click";
        case SpanKind::periodic: return "periodic";
        case SpanKind::slider: return "slider";
        case SpanKind::process_startup: return "process_startup";
        case SpanKind::process_job: return "process_job";
        case SpanKind::next_tick: return "next_tick";
        case SpanKind::unhold: return "unhold";
    }
    return "unknown";
}

std::string thread_name(const SpanRecord& span) {
    if (is_process_span(span.kind)) {
        return "tl-process-" + std::to_string(span.lane);
    }
    return span.kind == SpanKind::task ? "tl-runner-" + std::to_string(span.session)
           : span.on_loop()            ? std::string("tl-event-loop")
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

template <class Record>
std::vector<Record> Trace::gather(const std::deque<Record> Trace::*store, const std::vector<Record> Shard::*part,
                                  Clock::time_point Record::*when) const {
    std::vector<Record> records;
    {
        // The trace's lock first: no shard can move its batch into the store while this reads, so
        // nothing is read twice or missed.
        std::lock_guard lock(m_mutex);
        records.assign((this->*store).begin(), (this->*store).end());
        for (const Shard* shard : m_shards) {
            std::lock_guard shard_lock(shard->m_mutex);
            records.insert(records.end(), (shard->*part).begin(), (shard->*part).end());
        }
    }
    // Shards move their records in batches (and submissions' samples are recorded after the
    // fact), so the store is in order only per recorder.
    std::stable_sort(records.begin(), records.end(),
                     [when](const Record& a, const Record& b) { return a.*when < b.*when; });
    return records;
}

std::vector<SpanRecord> Trace::spans() const {
    return gather(&Trace::m_spans, &Shard::m_spans, &SpanRecord::finished);
}

std::vector<CounterSample> Trace::counters() const {
    return gather(&Trace::m_counters, &Shard::m_counters, &CounterSample::when);
}

}  // namespace threadlab
