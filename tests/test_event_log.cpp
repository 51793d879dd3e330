#include <catch2/catch.hpp>

#include <thread>
#include <vector>

#include "core/event_log.hpp"
#include "core/platform/stop.hpp"

using namespace threadlab;

TEST_CASE("ordinals read as English", "[log]") {
    CHECK(ordinal(1) == "1st");
    CHECK(ordinal(2) == "2nd");
    CHECK(ordinal(3) == "3rd");
    CHECK(ordinal(4) == "4th");
    CHECK(ordinal(11) == "11th");
    CHECK(ordinal(12) == "12th");
    CHECK(ordinal(13) == "13th");
    CHECK(ordinal(21) == "21st");
    CHECK(ordinal(102) == "102nd");
    CHECK(ordinal(111) == "111th");
}

TEST_CASE("the log hands out new entries once and stays bounded", "[log]") {
    EventLog log(3);
    std::vector<LogEntry> seen;
    CHECK(log.copy_since(0, seen) == 0);
    log.add(1, "a");
    log.add(2, "b");
    auto last = log.copy_since(0, seen);
    CHECK(last == 2);
    REQUIRE(seen.size() == 2);
    CHECK(seen[1].text == "b");
    CHECK(log.copy_since(last, seen) == last);
    CHECK(seen.size() == 2);

    for (const char* text : {"c", "d", "e", "f"}) {
        log.add(1, text);
    }
    std::vector<LogEntry> later;
    last = log.copy_since(last, later);
    CHECK(last == 6);
    REQUIRE(later.size() == 3);  // capacity 3: "c" is gone
    CHECK(later.front().text == "d");
    CHECK(later.back().sequence == 6);
}

TEST_CASE("many threads can log at once", "[log]") {
    EventLog log(100000);
    std::vector<jthread> writers;
    for (int t = 0; t < 4; ++t) {
        writers.emplace_back([&log, t] {
            for (int i = 0; i < 1000; ++i) {
                log.add(static_cast<SessionId>(t), "x");
            }
        });
    }
    writers.clear();
    std::vector<LogEntry> all;
    CHECK(log.copy_since(0, all) == 4000);
    CHECK(all.size() == 4000);
    for (std::size_t i = 0; i < all.size(); ++i) {
        CHECK(all[i].sequence == i + 1);
    }
}

TEST_CASE("a reader that fell behind the log's capacity is told how many lines it missed", "[log]") {
    EventLog log(10);
    for (int i = 0; i < 25; ++i) {
        log.add(1, "line " + std::to_string(i));
    }
    std::vector<LogEntry> copied;
    const auto newest = log.copy_since(0, copied);
    REQUIRE(copied.size() == 10);
    CHECK(entries_missed(0, copied) == 15);  // lines 1 to 15 went before anyone read them
    CHECK(missed_entries_notice(15, log.capacity()) == "(15 lines of the log went unread: it keeps the latest 10)");
    copied.clear();
    log.add(1, "one more");
    log.copy_since(newest, copied);
    CHECK(entries_missed(newest, copied) == 0);
    copied.clear();
    CHECK(entries_missed(log.latest(), copied) == 0);
}
