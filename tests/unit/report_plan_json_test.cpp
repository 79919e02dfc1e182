// The plan as JSON: the Markdown's seven sections in the same order, machine-friendly
// values, and valid against data/schema/plan.schema.json.

#include "report_plan_fixtures.hpp"

#include <edgeplan/report/config_files.hpp>
#include <edgeplan/report/plan_report.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>

using namespace edgeplan;
using namespace report_fixtures;

TEST_CASE("plan json: seven sections with the Markdown's titles, in order", "[report][plan]") {
    for (const auto& [name, plan] : all_plans()) {
        INFO(name);
        const auto doc = render_plan_json(plan, catalog());
        CHECK(doc.at("schema_version") == 1);
        CHECK(doc.at("kind") == "edgeplan.plan");
        CHECK(doc.at("verdict").at("approved") == plan.approved);
        const std::string md = render_plan_markdown(plan, catalog());
        REQUIRE(doc.at("sections").size() == 7);
        for (int i = 0; i < 7; ++i) {
            const auto& section = doc.at("sections").at(static_cast<std::size_t>(i));
            CHECK(section.at("number") == i + 1);
            const std::string heading =
                "## " + std::to_string(i + 1) + ". " + section.at("title").get<std::string>();
            CHECK(md.find(heading) != std::string::npos);
        }
    }
}

TEST_CASE("plan json: bytes are integers, rates numbers, unknown null", "[report][plan]") {
    const auto doc = render_plan_json(cpu_plan(), catalog());
    const auto& s5 = doc.at("sections").at(4);
    CHECK(s5.at("memory").at(0).at("weights_bytes") == 1925ull * mib);
    CHECK(s5.at("speed").at("decode_tokens_per_s_short") == 24.5);
    CHECK(s5.at("speed").at("joules_per_token").is_null());
    CHECK(s5.at("speed").at("unknown_reason") == "no power model for this desktop");
    const auto& s4 = doc.at("sections").at(3);
    CHECK(s4.at("port") == 8090);
}

TEST_CASE("plan json: section 4 carries the same files as the Markdown", "[report][plan]") {
    const Plan plan = ollama_plan();
    const auto doc = render_plan_json(plan, catalog());
    const std::string md = render_plan_markdown(plan, catalog());
    const auto& files = doc.at("sections").at(3).at("files");
    REQUIRE(files.size() == 4); // Modelfile, serve script, systemd drop-in, create script
    for (const auto& file : files) {
        CHECK(md.find(file.at("content").get<std::string>()) != std::string::npos);
    }
    CHECK(doc.at("sections").at(2).at("withheld_notes") == 1);
}

TEST_CASE("plan json: every sample plan validates against plan.schema.json", "[report][plan]") {
    if (std::system("/usr/bin/python3 -c 'import jsonschema' >/dev/null 2>&1") != 0) {
        WARN("SKIPPED: python3-jsonschema is not installed");
        return;
    }
    const std::string schema = std::string(EDGEPLAN_DATA_DIR) + "/schema/plan.schema.json";
    const std::string validator =
        std::string(EDGEPLAN_FIXTURES_DIR) + "/../schema/validate_json.py";
    std::string files;
    for (const auto& [name, plan] : all_plans()) {
        const std::string path = "report_plan_json_" + name + ".json";
        std::ofstream(path) << render_plan_json(plan, catalog()).dump(2);
        files += " " + path;
    }
    const std::string command = "/usr/bin/python3 " + validator + " " + schema + files;
    CHECK(std::system(command.c_str()) == 0);

    // The schema is strict: an unknown key is an error, so the check above can fail.
    auto broken = render_plan_json(gpu_llama_plan(), catalog());
    broken["sections"][4]["speed"]["surprise"] = 1;
    std::ofstream("report_plan_json_broken.json") << broken.dump(2);
    const std::string broken_command =
        "/usr/bin/python3 " + validator + " " + schema + " report_plan_json_broken.json >/dev/null";
    CHECK(std::system(broken_command.c_str()) != 0);
    for (const auto& [name, plan] : all_plans()) {
        std::remove(("report_plan_json_" + name + ".json").c_str());
    }
    std::remove("report_plan_json_broken.json");
}
