// The planner's notes: hybrid cloud-edge only when allowed, security at rest per platform,
// lifecycle (updates, background schedule, federated loop), and the promise that an offline
// or private plan names no cloud route anywhere.
#include "planner_sections_fixtures.hpp"

using namespace sections_fixtures;

TEST_CASE("offline requests get no hybrid note and no cloud route in any section", "[planner]") {
    struct Case {
        std::string name;
        HardwareProfile profile;
        Candidate candidate;
    };
    std::vector<Case> cases = {
        {"gpu desktop", with_os(preset("desktop-rtx-4090"), "Ubuntu 24.04"),
         llama_candidate(20 * gib)},
        {"apple laptop", preset("apple-m4-pro-20gpu"),
         with_engine(llama_candidate(20 * gib), "mlx-lm", 8080)},
        {"jetson", preset("jetson-orin-nano-super-8gb"),
         with_engine(llama_candidate(7 * gib), "ollama", 11434)},
        {"cpu vm", with_os(preset("desktop-ddr5-5600-2ch"), "Debian GNU/Linux 12"),
         with_engine(llama_candidate(20 * gib), "vllm", 8000)},
        {"phone", preset("snapdragon-8-elite"),
         with_engine(llama_candidate(7 * gib), "litert-lm", 9379)},
    };
    for (PlanRequest r : {offline_request(), PlanRequest{}}) {
        if (!r.offline) {
            r.privacy = Privacy::airgap;
        }
        r.allow_cloud_fallback = true; // asked for, yet the locality promise wins
        r.background = true;
        r.federated = true;
        for (const Case& k : cases) {
            CHECK_FALSE(plan_hybrid_note(r, k.profile, k.candidate, catalog()));
            for (const std::string& text : all_strings(r, k.profile, k.candidate)) {
                INFO(k.name << ": " << text);
                CHECK(cloud_route_in(text).empty());
            }
        }
    }
}

TEST_CASE("the hybrid note appears only when fallback is allowed and data need not stay",
          "[planner]") {
    const HardwareProfile p = with_os(preset("desktop-rtx-4090"), "Ubuntu 24.04");
    const Candidate c = llama_candidate(20 * gib);
    PlanRequest r;
    CHECK_FALSE(plan_hybrid_note(r, p, c, catalog())); // not allowed
    r.allow_cloud_fallback = true;
    const std::optional<PlanNote> note = plan_hybrid_note(r, p, c, catalog());
    REQUIRE(note);
    const std::string text = note_text(*note);
    // Knee: half of 126 tok/s is 63; 4 streams give 95 each, 8 give 55.
    CHECK_THAT(text, Catch::Contains("more than 4 requests in flight") && Catch::Contains("PII") &&
                         Catch::Contains("TTFT 180 ms") && Catch::Contains("RTT unknown") &&
                         Catch::Contains("48.3"));
    r.privacy = Privacy::strict;
    CHECK_FALSE(plan_hybrid_note(r, p, c, catalog()));
}

TEST_CASE("security at rest follows the platform's hardware-backed keys", "[planner]") {
    PlanRequest strict;
    strict.privacy = Privacy::strict;
    const Candidate c = llama_candidate(20 * gib);
    auto security = [&](const HardwareProfile& p) {
        const std::optional<PlanNote> note = plan_security_note(strict, p, c, catalog());
        REQUIRE(note);
        return note_text(*note);
    };
    CHECK_THAT(security(preset("apple-m4-pro-20gpu")),
               Catch::Contains("FileVault") && Catch::Contains("Secure Enclave"));
    CHECK_THAT(security(with_os(preset("desktop-rtx-4090"), "Ubuntu 24.04")),
               Catch::Contains("LUKS2") &&
                   Catch::Contains("systemd-cryptenroll --tpm2-device=auto"));
    CHECK_THAT(security(with_os(preset("desktop-rtx-4090"), "Windows 11")),
               Catch::Contains("BitLocker") && Catch::Contains("TpmProtector"));
    CHECK_THAT(security(preset("snapdragon-8-elite")),
               Catch::Contains("Keystore") && Catch::Contains("StrongBox"));
    CHECK_THAT(security(preset("apple-a18-pro")),
               Catch::Contains("Data Protection") && Catch::Contains("Secure Enclave"));
    CHECK_THAT(security(preset("apple-a18-pro")), Catch::Contains("Never leaves the device"));
    CHECK_FALSE(plan_security_note(PlanRequest{}, preset("apple-m4-pro-20gpu"), c, catalog()));

    PlanRequest airgap;
    airgap.privacy = Privacy::airgap;
    const std::optional<PlanNote> fetch =
        plan_security_note(airgap, preset("apple-m4-pro-20gpu"), c, catalog());
    REQUIRE(fetch);
    CHECK_THAT(note_text(*fetch), Catch::Contains("bartowski/Meta-Llama-3.1-8B-Instruct-GGUF/"
                                                  "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf") &&
                                      Catch::Contains("sha256") && Catch::Contains("--offline"));
}

TEST_CASE("lifecycle: updates always, the AC schedule for background, federated on request",
          "[planner]") {
    const HardwareProfile linux_box = with_os(preset("desktop-rtx-4090"), "Ubuntu 24.04");
    const Candidate c = llama_candidate(20 * gib);
    PlanRequest r;
    std::vector<PlanNote> notes = plan_lifecycle_notes(r, linux_box, c, catalog());
    REQUIRE(notes.size() == 1);
    CHECK_THAT(note_text(notes[0]), Catch::Contains("sha256") && Catch::Contains("mv -T") &&
                                        Catch::Contains("curl -sf http://127.0.0.1:8181/health"));
    CHECK_FALSE(find_note(notes, "federated"));

    r.background = true;
    notes = plan_lifecycle_notes(r, linux_box, c, catalog());
    const std::optional<PlanNote> schedule = find_note(notes, "AC power");
    REQUIRE(schedule);
    CHECK_THAT(note_text(*schedule), Catch::Contains("ConditionACPower=true") &&
                                         Catch::Contains("OnCalendar=") &&
                                         Catch::Contains("$$(cat"));
    // The units are files to save as they are, not prose: the report fences them.
    REQUIRE(schedule->files.size() == 2);
    CHECK(schedule->files[0].path == "/etc/systemd/system/edgeplan-batch.service");
    CHECK(schedule->files[1].path == "/etc/systemd/system/edgeplan-batch.timer");
    CHECK(schedule->files[1].language == "ini");
    CHECK(schedule->files[1].content.back() == '\n');
    const std::optional<PlanNote> mac =
        find_note(plan_lifecycle_notes(r, preset("apple-m4-pro-20gpu"), c, catalog()), "AC power");
    REQUIRE(mac);
    CHECK_THAT(note_text(*mac), Catch::Contains("pmset -g batt") && Catch::Contains("launchd"));

    r.federated = true;
    const std::optional<PlanNote> federated =
        find_note(plan_lifecycle_notes(r, linux_box, c, catalog()), "federated");
    REQUIRE(federated);
    // Llama 3.1 8B, rank 16 on q/k/v/o: 16 x 26,624 x 32 layers = 13,631,488 parameters.
    CHECK_THAT(note_text(*federated), Catch::Contains("13,631,488 parameters") &&
                                          Catch::Contains("Never leaves the device: raw prompts") &&
                                          Catch::Contains("secure aggregation") &&
                                          Catch::Contains("differential privacy"));
    const std::optional<PlanNote> local =
        find_note(plan_lifecycle_notes(offline_request_with_federated(), linux_box, c, catalog()),
                  "federated");
    REQUIRE(local);
    CHECK_THAT(note_text(*local), Catch::Contains("no update is uploaded"));
}
