#include "json_document.hpp"

#include <algorithm>
#include <set>
#include <vector>

namespace threadlab {

namespace {

using json = nlohmann::json;

/// Builds the document as nlohmann's own DOM parser does, and refuses what the guards forbid.
/// It knows where it is: the path of keys and indices down to the value being read.
class GuardedDomBuilder : public nlohmann::json_sax<json> {
public:
    GuardedDomBuilder(json& result, std::string_view text, const std::string& source, std::size_t max_depth)
        : m_dom(result, true), m_text(text), m_source(source), m_max_depth(max_depth) {}

    bool null() override { return value() && m_dom.null(); }
    bool boolean(bool flag) override { return value() && m_dom.boolean(flag); }
    bool number_integer(number_integer_t number) override { return value() && m_dom.number_integer(number); }
    bool number_unsigned(number_unsigned_t number) override { return value() && m_dom.number_unsigned(number); }
    bool number_float(number_float_t number, const string_t& text) override {
        return value() && m_dom.number_float(number, text);
    }
    bool string(string_t& text) override { return value() && m_dom.string(text); }
    bool binary(binary_t& data) override { return value() && m_dom.binary(data); }

    bool start_object(std::size_t elements) override {
        value();
        open(false);
        return m_dom.start_object(elements);
    }
    bool key(string_t& name) override {
        Frame& frame = m_frames.back();
        frame.key = name;
        if (!frame.keys.insert(name).second) {
            fail("the key \"" + name + "\" appears twice in one object");
        }
        return m_dom.key(name);
    }
    bool end_object() override {
        m_frames.pop_back();
        return m_dom.end_object();
    }
    bool start_array(std::size_t elements) override {
        value();
        open(true);
        return m_dom.start_array(elements);
    }
    bool end_array() override {
        m_frames.pop_back();
        return m_dom.end_array();
    }

    bool parse_error(std::size_t byte, const std::string& /*token*/, const nlohmann::detail::exception& error) override {
        // nlohmann's message starts "[json.exception.parse_error.101] parse error at line 3, column 5: ";
        // keep what follows the position, and give the position in the file:line:column form.
        std::string message = error.what();
        if (const auto at = message.find(": "); at != std::string::npos && message.find("] ") < at) {
            message = message.substr(at + 2);
        } else if (const auto bracket = message.find("] "); bracket != std::string::npos) {
            message = message.substr(bracket + 2);  // out_of_range.406: "number overflow parsing '1e400'"
        }
        throw JsonDocumentError(text_position(m_text, byte, m_source) + ": not valid JSON: " + message);
    }

private:
    struct Frame {
        bool array = false;
        std::size_t next_index = 0;  // arrays: the index the next element gets
        std::string key;             // objects: the key being read
        std::set<std::string> keys;  // objects: the keys seen so far
    };

    /// A value begins: in an array, it takes the next index.
    bool value() {
        if (!m_frames.empty() && m_frames.back().array) {
            ++m_frames.back().next_index;
        }
        return true;
    }
    void open(bool array) {
        if (m_frames.size() >= m_max_depth) {
            fail("nested deeper than " + std::to_string(m_max_depth) + " levels");
        }
        m_frames.push_back({array, 0, {}, {}});
    }

    [[noreturn]] void fail(const std::string& message) const {
        std::string path;
        for (const auto& frame : m_frames) {
            if (frame.array) {
                if (frame.next_index > 0) {
                    path.append("[").append(std::to_string(frame.next_index - 1)).append("]");
                }
            } else if (!frame.key.empty() || &frame != &m_frames.back()) {
                if (!path.empty()) {
                    path.append(".");
                }
                path.append(frame.key);
            }
        }
        throw JsonDocumentError(std::string(m_source).append(": ").append(path.empty() ? "top level" : path)
                                    .append(": ").append(message));
    }

    nlohmann::detail::json_sax_dom_parser<json> m_dom;
    std::string_view m_text;
    const std::string& m_source;
    std::size_t m_max_depth;
    std::vector<Frame> m_frames;
};

}  // namespace

std::string text_position(std::string_view text, std::size_t byte, const std::string& source) {
    byte = std::min(byte, text.size());
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i + 1 < byte; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return std::string(source).append(":").append(std::to_string(line)).append(":").append(std::to_string(column));
}

json parse_json_document(std::string_view text, const std::string& source, std::size_t max_depth) {
    json document;
    GuardedDomBuilder builder(document, text, source, max_depth);
    json::sax_parse(text.begin(), text.end(), &builder);
    return document;
}

}  // namespace threadlab
