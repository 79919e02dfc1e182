#include "audit_constraints.hpp"
#include "format.hpp"

#include <fmt/format.h>

namespace edgeplan::report_detail {

namespace {

bool has_feature(const IsaFeatures& isa, const std::string& name) {
    auto it = isa.features.find(name);
    return it != isa.features.end() && it->second.value_or(false);
}

void memory_constraint(const HardwareProfile& p, std::vector<std::string>& out) {
    const auto& m = p.memory;
    if (!m.total_bytes.value) {
        out.push_back("System memory size is unknown: nothing can be approved against it until a "
                      "profile supplies memory.total_bytes.");
        return;
    }
    std::string line = "Weights, KV cache and runtime buffers must fit in " +
                       format_bytes(*m.total_bytes.value) + " of system memory";
    if (m.available_bytes.value) {
        line += " (" + format_bytes(*m.available_bytes.value) + " available now)";
    }
    if (m.cgroup_limit_bytes.value && *m.cgroup_limit_bytes.value < *m.total_bytes.value) {
        line += ", capped at " + format_bytes(*m.cgroup_limit_bytes.value) + " by the container";
    }
    out.push_back(line + ".");
    if (m.swap_total_bytes.value && *m.swap_total_bytes.value == 0) {
        out.push_back("No swap: a model that overflows memory is killed by the OOM killer rather "
                      "than slowed down.");
    }
}

void accelerator_constraint(const HardwareProfile& p, std::vector<std::string>& out) {
    for (const auto& gpu : p.gpus) {
        const std::string name = gpu.model.value.value_or("GPU") + " (" + gpu.id + ")";
        if (gpu.memory_kind.value == std::optional<std::string>("unified")) {
            std::string line = name + " shares system memory (unified)";
            if (gpu.working_set_limit_bytes.value) {
                line += "; the GPU may wire at most " + format_bytes(*gpu.working_set_limit_bytes.value);
            }
            out.push_back(line + ".");
        } else if (gpu.memory_total_bytes.value) {
            out.push_back(name + ": " + format_bytes(*gpu.memory_total_bytes.value) +
                          " of VRAM; layers that do not fit run from system memory at its (lower) "
                          "bandwidth.");
        } else {
            out.push_back(name + ": VRAM size unknown; GPU placement cannot be approved without it.");
        }
    }
    if (p.gpus.empty() && p.gpus_source != Source::unknown) {
        std::string bandwidth = " (not known for this machine: `edgeplan audit --measure-memory` "
                                "measures it).";
        if (p.memory.measured_read_gbps.value) {
            bandwidth = " (" + format_number(*p.memory.measured_read_gbps.value, 1) + " GB/s measured).";
        } else if (p.memory.bandwidth_gbps.value) {
            bandwidth = " (" + format_number(*p.memory.bandwidth_gbps.value, 1) + " GB/s peak).";
        }
        out.push_back("No GPU found: inference runs on the CPU, and decode speed is bounded by "
                      "memory bandwidth" + bandwidth);
    }
    for (const auto& npu : p.npus) {
        out.push_back("NPU " + npu.model.value.value_or(npu.driver.value.value_or("device")) +
                      " is usable only through its vendor runtime and models converted for it.");
    }
}

void isa_constraint(const HardwareProfile& p, std::vector<std::string>& out) {
    const auto& isa = p.cpu.isa;
    if (isa.source == Source::unknown) {
        return;
    }
    const std::string how = isa.source == Source::inferred ? " (inferred from the CPU model)" : "";
    if (has_feature(isa, "amx_int8")) {
        out.push_back("AMX INT8 tiles are present" + how + ": prefill on the CPU can use AMX kernels.");
    } else if (has_feature(isa, "avx512f")) {
        out.push_back("AVX-512 is present" + how + ": CPU kernels can use 512-bit vectors.");
    } else if (has_feature(isa, "avx2")) {
        out.push_back("AVX2 and FMA are the widest x86 vector paths" + how + ".");
    } else if (has_feature(isa, "neon")) {
        std::string line = "ARM NEON is present" + how;
        if (has_feature(isa, "i8mm")) {
            line += ", with i8mm matrix instructions for quantized matmuls";
        } else if (has_feature(isa, "dotprod")) {
            line += ", with dot-product instructions";
        }
        out.push_back(line + ".");
    } else if (isa.features.count("avx2") && !has_feature(isa, "avx2")) {
        out.push_back("No AVX2" + how + ": llama.cpp's fast x86 kernels are unavailable; expect slow CPU "
                      "inference.");
    }
}

void power_constraint(const HardwareProfile& p, std::vector<std::string>& out) {
    const auto& pw = p.power;
    if (pw.supply.value == std::optional<std::string>("battery")) {
        std::string line = "Running on battery";
        if (pw.battery_percent.value) {
            line += fmt::format(" ({}%)", *pw.battery_percent.value);
        }
        out.push_back(line + ": prefer 4-bit weights and fewer threads to save energy.");
    }
    if (pw.cooling.value == std::optional<std::string>("passive")) {
        out.push_back("Passively cooled: plan on sustained, not peak, throughput.");
    }
    for (const auto& zone : pw.thermal_zones) {
        if (!zone.temperature_c) {
            continue;
        }
        for (const auto& trip : zone.trip_points) {
            // Within 10 °C of a throttling trip point, sustained clocks will drop.
            if ((trip.type == "passive" || trip.type == "hot" || trip.type == "critical") &&
                *zone.temperature_c >= trip.temperature_c - 10.0) {
                out.push_back(fmt::format("{} is at {} °C, within 10 °C of its {} trip point ({} °C): "
                                          "expect thermal throttling.",
                                          zone.name, format_number(*zone.temperature_c, 1), trip.type,
                                          format_number(trip.temperature_c, 0)));
                break;
            }
        }
    }
}

void storage_constraint(const HardwareProfile& p, std::vector<std::string>& out) {
    const auto& st = p.storage;
    if (st.free_bytes.value) {
        out.push_back("The models disk has " + format_bytes(*st.free_bytes.value) +
                      " free: downloaded weights must fit there.");
    }
    if (st.type.value == std::optional<std::string>("hdd")) {
        out.push_back("The models disk is a spinning disk: loading and SSD offload will be slow.");
    }
}

} // namespace

std::vector<std::string> audit_constraints(const HardwareProfile& profile) {
    std::vector<std::string> out;
    memory_constraint(profile, out);
    accelerator_constraint(profile, out);
    isa_constraint(profile, out);
    power_constraint(profile, out);
    storage_constraint(profile, out);
    return out;
}

} // namespace edgeplan::report_detail
