// Security at rest and data sovereignty: for offline, strict and airgap requests, how the
// weights and anything derived from prompts are encrypted with the platform's
// hardware-backed keys, and what never leaves the device. The commands are the platforms'
// documented tools: fdesetup (macOS), cryptsetup + systemd-cryptenroll (Linux, systemd 248+
// for TPM2 enrollment), Enable-BitLocker/manage-bde (Windows), Android Keystore with
// StrongBox, iOS Data Protection classes.
#include "section_text.hpp"

#include <fmt/format.h>

namespace edgeplan {

namespace {

using namespace planner_detail;

std::string linux_line(const HardwareProfile& profile, const std::string& weights) {
    const std::string disk = profile.storage.device.value
                                 ? fmt::format("a partition of {}", *profile.storage.device.value)
                                 : std::string("the data partition");
    return fmt::format(
        "At rest (Linux): keep the models directory ({} of weights), caches and logs on a LUKS2 "
        "volume on {} (`cryptsetup luksFormat --type luks2 DEVICE`) whose key is sealed to "
        "the TPM2 with `systemd-cryptenroll --tpm2-device=auto --tpm2-pcrs=7 DEVICE` and "
        "`tpm2-device=auto` in /etc/crypttab; with no TPM2 (no /dev/tpmrm0) enroll a FIDO2 key "
        "instead (`systemd-cryptenroll --fido2-device=auto DEVICE`).",
        weights, disk);
}

std::string macos_line(const std::string& weights) {
    return fmt::format(
        "At rest (macOS): turn on FileVault (`sudo fdesetup enable`; `fdesetup status` must "
        "print \"FileVault is On.\"); on Apple silicon the volume key is protected by the Secure "
        "Enclave, so the {} of weights and any cache or log files are unreadable off this "
        "machine.",
        weights);
}

std::string windows_line(const std::string& weights) {
    return fmt::format(
        "At rest (Windows): BitLocker with the TPM protector on the volume holding the {} of "
        "weights, caches and logs (`Enable-BitLocker -MountPoint 'C:' -TpmProtector` in an "
        "elevated PowerShell; `manage-bde -status C:` must show Protection On).",
        weights);
}

std::vector<std::string> platform_lines(DevicePlatform platform, const HardwareProfile& profile,
                                        const std::string& weights) {
    switch (platform) {
    case DevicePlatform::os_macos:
        return {macos_line(weights)};
    case DevicePlatform::os_linux:
        return {linux_line(profile, weights)};
    case DevicePlatform::os_windows:
        return {windows_line(weights)};
    case DevicePlatform::os_android:
        return {fmt::format(
            "At rest (Android): keep the {} of weights and every cache in app-internal, "
            "credential-encrypted storage (file-based encryption), never shared storage; wrap "
            "any extra cache key in the Android Keystore, StrongBox-backed where the device has "
            "it (KeyGenParameterSpec.Builder.setIsStrongBoxBacked(true)).",
            weights)};
    case DevicePlatform::os_ios:
        return {fmt::format(
            "At rest (iOS): write the {} of weights with the Data Protection class "
            "completeUntilFirstUserAuthentication (background inference can still read them) "
            "and prompt/KV caches and logs with FileProtectionType.complete; the class keys are "
            "protected by the Secure Enclave.",
            weights)};
    case DevicePlatform::unknown:
        break;
    }
    return {"At rest: the profile does not name the OS, so per platform:",
            linux_line(profile, weights), macos_line(weights), windows_line(weights)};
}

std::string cache_line(const Candidate& chosen) {
    if (kv_total_bytes(chosen) == 0) {
        // An encoder (embedding) keeps no KV cache: only logs can hold inputs on disk.
        return std::string("Caches: none in memory between requests (an encoder holds no KV "
                           "cache); any log the engine writes") +
               (chosen.engine_id == "llama.cpp" ? " (llama-server --log-file)" : "") +
               " holds inputs, so leave it unset or on the encrypted volume.";
    }
    const std::string kv = bytes_text(kv_total_bytes(chosen));
    const std::string& engine = chosen.engine_id;
    if (engine == "llama.cpp" || engine == "llamafile") {
        return fmt::format("Caches: the {} KV cache lives in memory; --slot-save-path and "
                           "--log-file write prompts to disk, so leave them unset or point them "
                           "at the encrypted volume.",
                           kv);
    }
    if (engine == "ollama") {
        return fmt::format("Caches: the {} KV cache lives in memory; OLLAMA_MODELS decides where "
                           "weights are stored: put it on the encrypted volume.",
                           kv);
    }
    if (engine == "vllm") {
        return fmt::format("Caches: the {} KV cache and its prefix cache stay in GPU memory "
                           "(--kv-offloading-size moves blocks to RAM, not disk); keep "
                           "--download-dir on the encrypted volume.",
                           kv);
    }
    if (engine == "mlx-lm") {
        return fmt::format("Caches: the {} KV cache and the prompt cache (--prompt-cache-bytes) "
                           "live in memory; the Hugging Face cache holding the weights must be "
                           "on the encrypted volume.",
                           kv);
    }
    if (engine == "sherpa-onnx") {
        return "Caches: none; the voice keeps no KV cache and each request writes only the WAV "
               "file it is given, which must be on the encrypted volume.";
    }
    return fmt::format("Caches: the {} KV cache lives in memory; any on-disk cache or log the "
                       "engine writes must be on the encrypted volume.",
                       kv);
}

std::string offline_switch(const Candidate& chosen) {
    const std::string& engine = chosen.engine_id;
    if (engine == "llama.cpp") {
        return "start llama-server with --offline so it never attempts a download";
    }
    if (engine == "vllm" || engine == "mlx-lm") {
        return "set HF_HUB_OFFLINE=1 so the Hugging Face client never calls out";
    }
    if (engine == "ollama") {
        return "import the GGUF file with a Modelfile (FROM ./FILE) instead of `ollama pull`";
    }
    return "disable any download or update check the engine has";
}

} // namespace

std::optional<PlanNote> plan_security_note(const PlanRequest& request,
                                           const HardwareProfile& profile, const Candidate& chosen,
                                           const Catalog& catalog) {
    if (!request.keeps_data_local()) {
        return std::nullopt;
    }
    const Engine* engine = find_chosen_engine(chosen, catalog);
    const std::string weights = bytes_text(weights_total_bytes(chosen));
    PlanNote note;
    note.title = "Security at rest and data sovereignty";
    for (std::string& line : platform_lines(device_platform(profile, catalog), profile, weights)) {
        note.lines.push_back(std::move(line));
    }
    note.lines.push_back(cache_line(chosen));
    const std::string& host = chosen.settings.host;
    const bool loopback = host == "127.0.0.1" || host == "localhost" || host == "::1";
    if (chosen.settings.port == 0) { // a CLI per request (sherpa-onnx): nothing listens
        note.lines.push_back("Never leaves the device: the text, the audio files and logs. No "
                             "server: each request is a local process with no network port.");
    } else {
        // An embedder reads texts and returns vectors; it has no answers and no KV cache.
        const bool embedding = request.task == "embedding";
        note.lines.push_back(fmt::format(
            "Never leaves the device: {}, logs and adapters. The server binds {}:{}{}.",
            embedding ? (kv_total_bytes(chosen) == 0 ? "input texts, their embeddings"
                                                     : "input texts, their embeddings, KV caches")
            : request.task == "speech-to-text" ? "audio, transcripts, KV caches"
                                               : "prompts, answers, KV and prefix caches",
            host, chosen.settings.port,
            loopback ? " (loopback only)"
                     : "; that address is reachable from the network: bind 127.0.0.1 instead"));
    }
    if (engine != nullptr) {
        std::string telemetry =
            fmt::format("Telemetry of {}, per the catalogue: {}", engine->name, engine->telemetry);
        if (engine->telemetry_switch) {
            telemetry += fmt::format("; set {}", *engine->telemetry_switch);
        }
        note.lines.push_back(telemetry + ".");
    }
    if (request.privacy == Privacy::airgap) {
        const std::string artifact =
            chosen.settings.artifact_repository
                ? *chosen.settings.artifact_repository +
                      (chosen.settings.artifact_file ? "/" + *chosen.settings.artifact_file : "")
                : model_reference(chosen);
        note.lines.push_back(fmt::format(
            "Airgap, fetch beforehand on a connected machine and carry over on removable media: "
            "(1) the model artifact {} ({}) with the publisher's sha256, checked on this device "
            "with `sha256sum -c` (Linux) or `shasum -a 256 -c` (macOS) before first use; (2) the "
            "engine {} at the checked version ({}) with its checksum; (3) {}.",
            artifact, weights, engine_name(chosen, engine),
            engine ? short_version(*engine) : std::string("unknown"), offline_switch(chosen)));
    }
    return note;
}

} // namespace edgeplan
