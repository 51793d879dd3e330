#include "scenario.hpp"

#include <nlohmann/json.hpp>

#include "slider_changes.hpp"
#include "json_document.hpp"
#include "text_file.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

namespace threadlab {

namespace {

using json = nlohmann::json;

const std::map<std::string, ActionKind, std::less<>>& action_names() {
    static const std::map<std::string, ActionKind, std::less<>> names{
        {"add_session", ActionKind::add_session},
        {"destroy_session", ActionKind::destroy_session},
        {"click", ActionKind::click},
        {"add_task", ActionKind::add_task},
        {"cancel_task", ActionKind::cancel_task},
        {"cancel_event", ActionKind::cancel_event},
        {"resize", ActionKind::resize},
        {"threading", ActionKind::threading},
        {"gil", ActionKind::gil},
        {"start_periodic", ActionKind::start_periodic},
        {"stop_periodic", ActionKind::stop_periodic},
        {"pause_events", ActionKind::pause_events},
        {"one_event_per_session", ActionKind::one_event_per_session},
        {"forget_on_session_destroyed", ActionKind::forget_on_session_destroyed},
        {"poll_runner", ActionKind::poll_runner},
        {"seed_runner", ActionKind::seed_runner},
        {"destroy_mode", ActionKind::destroy_mode},
        {"close_tab", ActionKind::close_tab},
        {"slide", ActionKind::slide},
        {"drag", ActionKind::drag},
    };
    return names;
}

const std::map<std::string, LessonQuantity, std::less<>>& quantity_names() {
    static const std::map<std::string, LessonQuantity, std::less<>> names{
        {"events_makespan", LessonQuantity::events_makespan},
        {"tasks_makespan", LessonQuantity::tasks_makespan},
        {"leaked_runners", LessonQuantity::leaked_runners},
        {"racy_counter_ratio", LessonQuantity::racy_counter_ratio},
        {"events_completed", LessonQuantity::events_completed},
        {"tasks_completed", LessonQuantity::tasks_completed},
        {"max_event_wait", LessonQuantity::max_event_wait},
        {"max_task_wait", LessonQuantity::max_task_wait},
        {"session_destroyed_at", LessonQuantity::session_destroyed_at},
        {"page_callbacks", LessonQuantity::page_callbacks},
    };
    return names;
}

std::string describe_type(const json& value) {
    if (value.is_null()) return "null";
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    if (value.is_number()) return "the number " + value.dump();
    if (value.is_string()) return "the text " + value.dump();
    if (value.is_array()) return "a list";
    return "an object";
}

/// One JSON object being read, with its path for messages ("actions[3].work.seconds").
class ObjectReader {
public:
    ObjectReader(const json& value, std::string path, const std::string& source)
        : m_value(value), m_path(std::move(path)), m_source(source) {
        if (!m_value.is_object()) {
            fail(m_path, "expected an object {...}, got " + describe_type(m_value));
        }
    }

    /// Every key must be one of `allowed`: a misspelt key is an error, not silently ignored.
    void only(std::initializer_list<std::string_view> allowed) const {
        for (const auto& [key, value] : m_value.items()) {
            if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
                std::string list;
                for (const auto name : allowed) {
                    list += (list.empty() ? "" : ", ") + std::string(name);
                }
                fail(path_of(key), "unknown key (expected one of: " + list + ")");
            }
        }
    }

    bool has(std::string_view key) const { return m_value.contains(key); }
    /// The value under `key`; a missing key is the file's error, not nlohmann's out_of_range.
    const json& raw(std::string_view key) const {
        const auto found = m_value.find(key);
        if (found == m_value.end()) {
            fail(path_of(key), "missing (this key is required)");
        }
        return *found;
    }
    std::string path_of(std::string_view key) const { return m_path.empty() ? std::string(key) : m_path + "." + std::string(key); }

    double number(std::string_view key, double low, double high, std::optional<double> fallback = std::nullopt) const {
        if (!has(key)) {
            return require(key, fallback);
        }
        const json& value = raw(key);
        if (!value.is_number()) {
            fail(path_of(key), "expected a number from " + format(low) + " to " + format(high) + ", got " +
                                   describe_type(value));
        }
        const double number = value.get<double>();
        if (!std::isfinite(number) || number < low || number > high) {
            fail(path_of(key), "expected a number from " + format(low) + " to " + format(high) + ", got " +
                                   value.dump());
        }
        return number;
    }

    int integer(std::string_view key, int low, int high, std::optional<int> fallback = std::nullopt) const {
        if (!has(key)) {
            return require(key, fallback);
        }
        const json& value = raw(key);
        if (!value.is_number_integer()) {
            fail(path_of(key), "expected a whole number from " + std::to_string(low) + " to " + std::to_string(high) +
                                   ", got " + describe_type(value));
        }
        const auto number = value.get<long long>();
        if (number < low || number > high) {
            fail(path_of(key), "expected a whole number from " + std::to_string(low) + " to " + std::to_string(high) +
                                   ", got " + value.dump());
        }
        return static_cast<int>(number);
    }

    bool boolean(std::string_view key, std::optional<bool> fallback = std::nullopt) const {
        if (!has(key)) {
            return require(key, fallback);
        }
        if (!raw(key).is_boolean()) {
            fail(path_of(key), "expected true or false, got " + describe_type(raw(key)));
        }
        return raw(key).get<bool>();
    }

    std::string text(std::string_view key, std::optional<std::string> fallback = std::nullopt) const {
        if (!has(key)) {
            return require(key, std::move(fallback));
        }
        if (!raw(key).is_string()) {
            fail(path_of(key), "expected text in quotes, got " + describe_type(raw(key)));
        }
        return raw(key).get<std::string>();
    }

    [[noreturn]] void fail(const std::string& path, const std::string& message) const {
        throw ScenarioError(m_source + ": " + (path.empty() ? std::string("top level") : path) + ": " + message);
    }

    const std::string& source() const { return m_source; }

private:
    template <class T>
    T require(std::string_view key, std::optional<T> fallback) const {
        if (!fallback) {
            fail(path_of(key), "missing (this key is required)");
        }
        return *fallback;
    }
    static std::string format(double value) {
        std::ostringstream out;
        out << value;
        return out.str();
    }

    const json& m_value;
    std::string m_path;
    const std::string& m_source;
};

/// The top-level "processes" object: the user's ProcessPoolExecutor (process_pool.hpp).
ProcessPoolSetting read_processes(const ObjectReader& parent) {
    const ObjectReader reader(parent.raw("processes"), "processes", parent.source());
    reader.only({"workers", "startup", "transfer", "start"});
    ProcessPoolSetting setting;
    setting.workers = static_cast<unsigned>(reader.integer("workers", 1, static_cast<int>(max_process_workers),
                                                           static_cast<int>(setting.workers)));
    setting.startup_seconds = reader.number("startup", 0.0, max_process_startup_seconds, setting.startup_seconds);
    setting.transfer_seconds = reader.number("transfer", 0.0, max_process_transfer_seconds, setting.transfer_seconds);
    const std::string start = reader.text("start", std::string(to_string(setting.start)));
    if (start != "spawn" && start != "fork") {
        reader.fail(reader.path_of("start"), "expected \"spawn\" (a process per submit that finds none idle) or "
                                             "\"fork\" (every process at the first submit), got \"" + start + "\"");
    }
    setting.start = start == "fork" ? ProcessStart::fork : ProcessStart::spawn;
    return setting;
}

PoolSetting read_pool(const ObjectReader& reader, std::string_view key) {
    const json& value = reader.raw(key);
    std::optional<PoolSetting> setting;
    if (value.is_string()) {
        setting = parse_pool_setting(value.get<std::string>());
    } else if (value.is_number_integer()) {
        setting = parse_pool_setting(std::to_string(value.get<long long>()));
    }
    if (!setting) {
        reader.fail(reader.path_of(key), "expected \"off\", \"auto\" or a number of threads from 0 to " +
                                             std::to_string(max_pool_threads) + ", got " + describe_type(value));
    }
    return *setting;
}

/// A time given either in seconds under `seconds_key` or in milliseconds under `ms_key` (Panel's
/// unit for periodic callbacks), as seconds; nullopt when neither is there. Both is an error.
std::optional<double> read_seconds_or_ms(const ObjectReader& reader, std::string_view seconds_key,
                                         std::string_view ms_key, double low, double high) {
    if (reader.has(seconds_key) && reader.has(ms_key)) {
        reader.fail(reader.path_of(ms_key), "give " + std::string(seconds_key) + " (seconds) or " + std::string(ms_key) +
                                         " (milliseconds, Panel's unit), not both");
    }
    if (reader.has(ms_key)) {
        return reader.number(ms_key, low * 1000.0, high * 1000.0) / 1000.0;
    }
    if (reader.has(seconds_key)) {
        return reader.number(seconds_key, low, high);
    }
    return std::nullopt;
}

WorkSpec read_work(const ObjectReader& parent, std::string_view key, const WorkSpec& defaults) {
    if (!parent.has(key)) {
        return defaults;
    }
    const ObjectReader reader(parent.raw(key), parent.path_of(key), parent.source());
    reader.only({"kind", "seconds", "fails", "counter", "times"});
    WorkSpec work = defaults;
    const std::string kind = reader.text("kind", std::string(to_string(defaults.kind)));
    constexpr std::array kinds = {WorkKind::sleep, WorkKind::compute, WorkKind::native, WorkKind::increment,
                                  WorkKind::process};
    const auto found = std::find_if(kinds.begin(), kinds.end(), [&](WorkKind known) { return kind == to_string(known); });
    if (found == kinds.end()) {
        reader.fail(reader.path_of("kind"), "expected \"sleep\", \"compute\", \"native\", \"increment\" or \"process\", got \"" +
                                                kind + "\"");
    }
    work.kind = *found;
    work.seconds = reader.number("seconds", 0.0, 3600.0, defaults.seconds);
    work.fails = reader.boolean("fails", defaults.fails);
    if (work.kind == WorkKind::increment) {
        const std::string counter = reader.text("counter");
        if (counter != "racy" && counter != "atomic" && counter != "mutex") {
            reader.fail(reader.path_of("counter"), "expected \"racy\", \"atomic\" or \"mutex\", got \"" + counter + "\"");
        }
        work.counter = counter == "racy" ? CounterKind::racy : (counter == "atomic" ? CounterKind::atomic : CounterKind::mutex);
        work.increments = static_cast<std::uint32_t>(reader.integer("times", 1, 10'000'000));
    } else if (reader.has("counter") || reader.has("times")) {
        reader.fail(reader.path_of(reader.has("counter") ? "counter" : "times"),
                    "only for work of kind \"increment\"");
    }
    return work;
}

/// One bound of a range: a number, or null for none.
std::optional<double> read_bound(const json& value, const std::string& path, const ObjectReader& reader) {
    if (value.is_null()) {
        return std::nullopt;
    }
    if (!value.is_number()) {
        reader.fail(path, "expected a number, or null for no bound, got " + describe_type(value));
    }
    return value.get<double>();
}

/// The value that `reader`'s text at `key` names in `names`; an unknown name fails with the path
/// and the list of known ones.
template <class Value>
Value named(const ObjectReader& reader, const char* key, const std::map<std::string, Value, std::less<>>& names,
            const char* what) {
    const std::string text = reader.text(key);
    const auto found = names.find(text);
    if (found == names.end()) {
        std::string list;
        for (const auto& [name, value] : names) {
            list += (list.empty() ? "" : ", ") + name;
        }
        reader.fail(reader.path_of(key), "unknown " + std::string(what) + " \"" + text + "\" (expected one of: " + list + ")");
    }
    return found->second;
}

LessonMeasure read_measure(const ObjectReader& lesson, std::size_t choices) {
    const ObjectReader reader(lesson.raw("measure"), lesson.path_of("measure"), lesson.source());
    reader.only({"quantity", "from", "until", "session", "ranges"});
    LessonMeasure measure;
    measure.quantity = named(reader, "quantity", quantity_names(), "quantity");
    // A counter or a count of threads is read at the end of the run, not from spans: a window or
    // a session cannot narrow it, so asking for one is a mistake in the file.
    const bool of_a_session = measure.quantity == LessonQuantity::session_destroyed_at;
    if (of_a_session && !reader.has("session")) {
        reader.fail(reader.path_of("session"), "missing (\"session_destroyed_at\" measures one session)");
    }
    for (const auto key : {"from", "until", "session"}) {
        if (reader.has(key) && !measured_from_spans(measure.quantity) && !(of_a_session && std::string_view(key) == "session")) {
            reader.fail(reader.path_of(key), "only for quantities measured from the trace, not for \"" + std::string(to_string(measure.quantity)) + "\"");
        }
    }
    if (reader.has("from")) {
        measure.from = reader.number("from", 0.0, max_scenario_seconds);
    }
    if (reader.has("until")) {
        measure.until = reader.number("until", 0.0, max_scenario_seconds);
        if (*measure.until <= measure.from.value_or(0.0)) {
            reader.fail(reader.path_of("until"), "expected a time after \"from\" (" + json(measure.from.value_or(0.0)).dump() +
                                                     " s), got " + json(*measure.until).dump());
        }
    }
    if (reader.has("session")) {
        measure.session = reader.integer("session", 1, max_scenario_sessions);
    }
    const json& ranges = reader.raw("ranges");
    const std::string ranges_path = reader.path_of("ranges");
    if (!ranges.is_array()) {
        reader.fail(ranges_path, "expected a list of [low, high] ranges, one per choice, got " + describe_type(ranges));
    }
    if (ranges.size() != choices) {
        reader.fail(ranges_path, "expected one range per choice (" + std::to_string(choices) + "), got " +
                                     std::to_string(ranges.size()));
    }
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        const std::string path = ranges_path + "[" + std::to_string(i) + "]";
        if (!ranges[i].is_array() || ranges[i].size() != 2) {
            reader.fail(path, "expected [low, high] (numbers, or null for no bound), got " + describe_type(ranges[i]));
        }
        MeasureRange range{read_bound(ranges[i][0], path + "[0]", reader), read_bound(ranges[i][1], path + "[1]", reader)};
        if (range.low && range.high && *range.low > *range.high) {
            reader.fail(path, "low " + ranges[i][0].dump() + " is above high " + ranges[i][1].dump());
        }
        measure.ranges.push_back(range);
    }
    return measure;
}

LessonText read_lesson(const ObjectReader& parent) {
    const ObjectReader reader(parent.raw("lesson"), "lesson", parent.source());
    reader.only({"title", "watch", "why", "panel", "question", "choices", "answer", "measure"});
    LessonText lesson;
    lesson.title = reader.text("title");
    lesson.watch = reader.text("watch");
    lesson.why = reader.text("why");
    lesson.panel = reader.text("panel");
    lesson.question = reader.text("question");
    const json& choices = reader.raw("choices");
    if (!choices.is_array() || choices.size() < 2 || choices.size() > max_lesson_choices) {
        reader.fail("lesson.choices", "expected a list of two to " + std::to_string(max_lesson_choices) +
                                          " answers (lettered a to " +
                                          std::string(1, static_cast<char>('a' + max_lesson_choices - 1)) + ")");
    }
    for (std::size_t i = 0; i < choices.size(); ++i) {
        if (!choices[i].is_string()) {
            reader.fail("lesson.choices[" + std::to_string(i) + "]", "expected text in quotes");
        }
        lesson.choices.push_back(choices[i].get<std::string>());
    }
    lesson.answer = reader.integer("answer", 0, static_cast<int>(lesson.choices.size()) - 1);
    if (reader.has("measure")) {
        lesson.measure = read_measure(reader, lesson.choices.size());
    }
    return lesson;
}

/// The steps of an async click: [{"await": 2}, {"run": {"kind": "sleep", "seconds": 0.1}}].
std::vector<AsyncStepSpec> read_async(const ObjectReader& parent, const Scenario& scenario) {
    const json& steps = parent.raw("async");
    const std::string path = parent.path_of("async");
    if (!steps.is_array() || steps.empty() || steps.size() > max_async_steps) {
        parent.fail(path, "expected a list [...] of 1 to " + std::to_string(max_async_steps) +
                              " steps, each {\"await\": seconds} or {\"run\": {work}}, got " +
                              (steps.is_array() ? "an empty list" : describe_type(steps)));
    }
    std::vector<AsyncStepSpec> result;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const ObjectReader step(steps[i], path + "[" + std::to_string(i) + "]", parent.source());
        step.only({"await", "run"});
        if (step.has("await") == step.has("run")) {
            step.fail(step.path_of(step.has("await") ? "run" : "await"),
                      "a step is either {\"await\": seconds} (the loop is free meanwhile) or {\"run\": {work}} "
                      "(holds the loop), not both or neither");
        }
        if (step.has("await")) {
            result.push_back(AsyncStepSpec::await_for(step.number("await", 0.0, 3600.0)));
        } else {
            result.push_back(AsyncStepSpec::running(read_work(step, "run", scenario.work)));
        }
    }
    return result;
}

/// The widget changes a click or task makes as its work ends: {"count": 100, "mode": "hold"}.
PageUpdatesSpec read_updates(const ObjectReader& parent) {
    const ObjectReader reader(parent.raw("updates"), parent.path_of("updates"), parent.source());
    reader.only({"count", "mode", "seconds"});
    PageUpdatesSpec updates;
    updates.count = static_cast<std::uint32_t>(reader.integer("count", 1, max_page_updates));
    const std::string mode = reader.text("mode", std::string(to_string(updates.mode)));
    const auto named_mode = update_mode_named(mode);
    if (!named_mode) {
        reader.fail(reader.path_of("mode"),
                    "expected \"next_tick\", \"hold\", \"unlocked\" or \"one_callback\", got \"" + mode + "\"");
    }
    updates.mode = *named_mode;
    updates.seconds = reader.number("seconds", 0.0, 60.0, updates.seconds);
    return updates;
}

ScenarioAction read_action(const json& value, std::size_t index, const Scenario& scenario, const std::string& source) {
    const std::string path = "actions[" + std::to_string(index) + "]";
    const ObjectReader reader(value, path, source);
    ScenarioAction action;
    action.kind = named(reader, "do", action_names(), "action");
    action.at = reader.number("at", 0.0, max_scenario_seconds, 0.0);

    switch (action.kind) {
        case ActionKind::add_session:
            reader.only({"at", "do", "repeat"});
            action.repeat = reader.integer("repeat", 1, max_scenario_sessions, 1);
            break;
        case ActionKind::destroy_session:
            reader.only({"at", "do", "session"});
            action.session = reader.integer("session", 1, max_scenario_sessions);
            break;
        case ActionKind::click:
        case ActionKind::add_task:
            // Only a click can be async: a runner's task is a plain function on its thread.
            if (action.kind == ActionKind::click) {
                reader.only({"at", "do", "session", "work", "async", "updates", "repeat"});
            } else {
                reader.only({"at", "do", "session", "work", "updates", "repeat"});
            }
            action.session = reader.integer("session", 1, max_scenario_sessions);
            if (reader.has("async") && reader.has("work")) {
                reader.fail(reader.path_of("work"), "an async click has no \"work\": put it in a {\"run\": {work}} step");
            }
            if (reader.has("async") && reader.has("updates")) {
                // Panel changes the page directly from the loop thread (state.py:386-403): a
                // coroutine's changes need no next-tick callback.
                reader.fail(reader.path_of("updates"),
                            "an async click runs on the event loop, where Panel changes the page directly: "
                            "\"updates\" are for work on a worker or runner thread");
            }
            if (reader.has("updates")) {
                action.updates = read_updates(reader);
            }
            action.work = read_work(reader, "work", scenario.work);
            if (reader.has("async")) {
                action.async = read_async(reader, scenario);
            }
            action.repeat = reader.integer("repeat", 1, max_action_repeat, 1);
            break;
        case ActionKind::cancel_task:
            reader.only({"at", "do", "session", "task"});
            action.session = reader.integer("session", 1, max_scenario_sessions);
            action.target = static_cast<std::uint64_t>(reader.integer("task", 1, 1 << 30));
            break;
        case ActionKind::cancel_event:
            reader.only({"at", "do", "event"});
            action.target = static_cast<std::uint64_t>(reader.integer("event", 1, 1 << 30));
            break;
        case ActionKind::resize:
            reader.only({"at", "do", "pool"});
            if (!reader.has("pool")) {
                reader.fail(reader.path_of("pool"), "missing (this key is required)");
            }
            action.pool = read_pool(reader, "pool");
            break;
        case ActionKind::threading:
        case ActionKind::gil:
        case ActionKind::pause_events:
        case ActionKind::one_event_per_session:
        case ActionKind::forget_on_session_destroyed:
            reader.only({"at", "do", "on"});
            action.on = reader.boolean("on");
            break;
        case ActionKind::start_periodic:
            reader.only({"at", "do", "session", "name", "period", "period_ms", "count", "timeout", "timeout_ms",
                         "work"});
            action.session = reader.integer("session", 1, max_scenario_sessions);
            action.name = reader.text("name");
            // Panel's add_periodic_callback takes milliseconds (period=500, timeout=None): the
            // `_ms` keys take Panel's numbers as they are; `period` and `timeout` are seconds,
            // like every other time in a scenario. One of each pair, not both.
            action.schedule.period_seconds =
                read_seconds_or_ms(reader, "period", "period_ms", 0.001, max_scenario_seconds).value_or(0.5);
            if (reader.has("count")) {
                action.schedule.count = static_cast<std::uint32_t>(reader.integer("count", 1, 1 << 30));
            }
            action.schedule.timeout_seconds = read_seconds_or_ms(reader, "timeout", "timeout_ms", 0.0, max_scenario_seconds);
            action.work = read_work(reader, "work", scenario.work);
            break;
        case ActionKind::stop_periodic:
            reader.only({"at", "do", "name"});
            action.name = reader.text("name");
            break;
        case ActionKind::poll_runner:
            reader.only({"at", "do", "session", "every"});
            action.session = reader.integer("session", 1, max_scenario_sessions);
            action.every = reader.number("every", 0.0, 3600.0);
            break;
        case ActionKind::close_tab:
            reader.only({"at", "do", "session"});
            action.session = reader.integer("session", 1, max_scenario_sessions);
            break;
        case ActionKind::destroy_mode: {
            reader.only({"at", "do", "mode"});
            const std::string mode = reader.text("mode");
            if (mode != "as_seed" && mode != "prompt") {
                reader.fail(reader.path_of("mode"), "expected \"as_seed\" (drain the queue, interrupt nothing) or "
                                                    "\"prompt\" (interrupt and cancel), got \"" + mode + "\"");
            }
            action.stop_mode = mode == "prompt" ? StopMode::prompt : StopMode::drain;
            break;
        }
        case ActionKind::seed_runner:
            reader.only({"at", "do", "session", "on"});
            action.session = reader.integer("session", 1, max_scenario_sessions);
            action.on = reader.boolean("on");
            break;
        case ActionKind::slide:
        case ActionKind::drag:
            if (action.kind == ActionKind::slide) {
                reader.only({"at", "do", "session", "value", "release", "work", "on_release"});
                action.value = reader.integer("value", slider_min, slider_max);
            } else {
                reader.only({"at", "do", "session", "from", "to", "over", "release", "work", "on_release"});
            }
            action.session = reader.integer("session", 1, max_scenario_sessions);
            action.on = reader.boolean("release", action.kind == ActionKind::slide ? false : true);
            action.work = read_work(reader, "work", scenario.work);
            if (reader.has("on_release")) {
                action.release_work = read_work(reader, "on_release", scenario.work);
            }
            break;
    }
    return action;
}

/// A drag becomes one slide per value, spread evenly over `over` seconds from `at`; the handle
/// is released with the last one (unless "release": false).
std::vector<ScenarioAction> expand_drag(const ScenarioAction& drag, const json& value, std::size_t index,
                                        const std::string& source) {
    const ObjectReader reader(value, "actions[" + std::to_string(index) + "]", source);
    const int from = reader.integer("from", slider_min, slider_max);
    const int to = reader.integer("to", slider_min, slider_max);
    const double over = reader.number("over", 0.0, max_scenario_seconds);
    const int steps = std::abs(to - from);
    std::vector<ScenarioAction> slides;
    for (int i = 0; i <= steps; ++i) {
        ScenarioAction slide = drag;
        slide.kind = ActionKind::slide;
        slide.value = from + (to > from ? i : -i);
        slide.at = drag.at + (steps == 0 ? 0.0 : over * i / steps);
        slide.on = drag.on && i == steps;
        slides.push_back(std::move(slide));
    }
    return slides;
}

/// A lesson measuring one session's work must name a session the scenario creates.
void check_measured_session(const Scenario& scenario, const std::string& source) {
    if (!scenario.lesson || !scenario.lesson->measure || !scenario.lesson->measure->session) {
        return;
    }
    int created = scenario.sessions;
    for (const auto& action : scenario.actions) {
        created += action.kind == ActionKind::add_session ? action.repeat : 0;
    }
    if (const int session = *scenario.lesson->measure->session; session > created) {
        throw ScenarioError(source + ": lesson.measure.session: session " + std::to_string(session) +
                            " is never created (the scenario creates " + std::to_string(created) + ")");
    }
}

/// References must make sense in time order: a session must exist (be created) before it is
/// used, and a periodic callback must be started before it is stopped.
/// A scenario without "end" runs until everything it started is done: refuse one that never
/// would, naming the action, instead of accepting it and hanging.
void check_it_ends(const Scenario& scenario, const std::vector<std::size_t>& file_index, const std::string& source) {
    if (scenario.end) {
        return;  // a hard stop at that time
    }
    std::optional<std::size_t> paused_by;  // the pause_events that is still on
    // Periodic callbacks with neither count nor timeout, by name: which session, which action.
    std::map<std::string, std::pair<int, std::size_t>> endless;
    for (std::size_t i = 0; i < scenario.actions.size(); ++i) {
        const ScenarioAction& action = scenario.actions[i];
        switch (action.kind) {
            case ActionKind::pause_events: paused_by = action.on ? std::optional(i) : std::nullopt; break;
            case ActionKind::start_periodic:
                if (!action.schedule.count && !action.schedule.timeout_seconds) {
                    endless[action.name] = {action.session, i};
                }
                break;
            case ActionKind::stop_periodic: endless.erase(action.name); break;
            case ActionKind::destroy_session:
            case ActionKind::close_tab:  // destroyed later, when the server discards it
                // A session's periodic callbacks stop with it (World::destroy_session).
                std::erase_if(endless, [&](const auto& entry) { return entry.second.first == action.session; });
                break;
            default: break;
        }
    }
    const auto refuse = [&](std::size_t i, const std::string& what) {
        throw ScenarioError(std::string(source).append(": actions[").append(std::to_string(file_index[i]))
                                .append("]: ").append(what).append(", so the run would never end: add \"end\" (the "
                                                                   "simulated second to stop at)"));
    };
    if (paused_by) {
        refuse(*paused_by, "pause_events is still on at the last action (the queued events never run)");
    }
    if (!endless.empty()) {
        const auto& [name, where] = *endless.begin();
        refuse(where.second, "the periodic callback \"" + name +
                                 "\" has neither count nor timeout and is never stopped (stop_periodic)");
    }
}

void check_references(const Scenario& scenario, const std::vector<std::size_t>& file_index, const std::string& source) {
    int created = scenario.sessions;
    std::set<std::string> started;
    for (std::size_t i = 0; i < scenario.actions.size(); ++i) {
        const ScenarioAction& action = scenario.actions[i];
        const std::string path = source + ": actions[" + std::to_string(file_index[i]) + "]";
        const bool uses_session = action.kind == ActionKind::destroy_session || action.kind == ActionKind::click ||
                                  action.kind == ActionKind::add_task || action.kind == ActionKind::cancel_task ||
                                  action.kind == ActionKind::start_periodic || action.kind == ActionKind::poll_runner ||
                                  action.kind == ActionKind::seed_runner || action.kind == ActionKind::close_tab ||
                                  action.kind == ActionKind::slide;
        if (uses_session && action.session > created) {
            std::ostringstream at;
            at << action.at;
            throw ScenarioError(path + ".session: session " + std::to_string(action.session) + " does not exist yet at " +
                                at.str() + " s (" + std::to_string(created) + " created by then)");
        }
        if (action.kind == ActionKind::add_session) {
            created += action.repeat;
            if (created > max_scenario_sessions) {
                throw ScenarioError(path + ": more than " + std::to_string(max_scenario_sessions) + " sessions");
            }
        }
        if (action.kind == ActionKind::start_periodic && !started.insert(action.name).second) {
            throw ScenarioError(path + ".name: a periodic callback named \"" + action.name + "\" was already started");
        }
        if (action.kind == ActionKind::stop_periodic && !started.contains(action.name)) {
            throw ScenarioError(path + ".name: no periodic callback named \"" + action.name +
                                "\" has been started by then");
        }
    }
}

}  // namespace

const char* to_string(ActionKind kind) {
    for (const auto& [name, value] : action_names()) {
        if (value == kind) {
            return name.c_str();
        }
    }
    return "unknown";
}

const char* to_string(LessonQuantity quantity) {
    for (const auto& [name, value] : quantity_names()) {
        if (value == quantity) {
            return name.c_str();
        }
    }
    return "unknown";
}

bool measured_from_spans(LessonQuantity quantity) {
    return quantity != LessonQuantity::leaked_runners && quantity != LessonQuantity::racy_counter_ratio &&
           quantity != LessonQuantity::session_destroyed_at;
}

bool MeasureRange::contains(double value) const {
    if (low && high && *low == *high) {
        return value == *low;
    }
    return (!low || value >= *low) && (!high || value < *high);
}

Scenario parse_scenario(std::string_view text, const std::string& source) {
    if (text.size() > max_scenario_bytes) {
        throw ScenarioError(source + ": the file is larger than " + std::to_string(max_scenario_bytes / 1024 / 1024) +
                            " MiB");
    }
    json document;
    try {
        document = parse_json_document(text, source);
    } catch (const JsonDocumentError& error) {
        throw ScenarioError(error.what());
    }

    const ObjectReader reader(document, "", source);
    reader.only({"name", "description", "pool", "time_scale", "gil", "one_event_per_session", "processes", "sessions",
                 "work", "end", "actions", "lesson"});
    Scenario scenario;
    scenario.name = reader.text("name", std::string("unnamed"));
    scenario.description = reader.text("description", std::string());
    if (reader.has("pool")) {
        scenario.pool = read_pool(reader, "pool");
    }
    scenario.time_scale = reader.number("time_scale", TimeScale::min_scale, TimeScale::max_scale, 1.0);
    scenario.gil = reader.boolean("gil", false);
    scenario.one_event_per_session = reader.boolean("one_event_per_session", false);
    if (reader.has("processes")) {
        scenario.processes = read_processes(reader);
    }
    scenario.sessions = reader.integer("sessions", 0, max_scenario_sessions, 0);
    scenario.work = read_work(reader, "work", scenario.work);
    if (reader.has("end")) {
        scenario.end = reader.number("end", 0.0, max_scenario_seconds);
    }
    if (reader.has("lesson")) {
        scenario.lesson = read_lesson(reader);
    }

    if (reader.has("actions")) {
        const json& actions = reader.raw("actions");
        if (!actions.is_array()) {
            reader.fail("actions", "expected a list [...] of actions, got " + describe_type(actions));
        }
        if (actions.size() > max_scenario_actions) {
            reader.fail("actions", "more than " + std::to_string(max_scenario_actions) + " actions");
        }
        std::vector<std::pair<ScenarioAction, std::size_t>> read;
        for (std::size_t i = 0; i < actions.size(); ++i) {
            auto action = read_action(actions[i], i, scenario, source);
            if (action.kind == ActionKind::drag) {
                for (auto& slide : expand_drag(action, actions[i], i, source)) {
                    read.emplace_back(std::move(slide), i);
                }
            } else {
                read.emplace_back(std::move(action), i);
            }
        }
        std::stable_sort(read.begin(), read.end(), [](const auto& a, const auto& b) { return a.first.at < b.first.at; });
        std::vector<std::size_t> file_index;
        for (auto& [action, index] : read) {
            scenario.actions.push_back(std::move(action));
            file_index.push_back(index);
        }
        check_references(scenario, file_index, source);
        check_it_ends(scenario, file_index, source);
    }
    check_measured_session(scenario, source);
    return scenario;
}

Scenario load_scenario_file(const std::string& path) {
    std::string error;
    const auto text = read_text_file(path, max_scenario_bytes, error);
    if (!text) {
        throw ScenarioError(path + ": " + error);
    }
    return parse_scenario(*text, path);
}

}  // namespace threadlab
