#pragma once

#include "command.hpp"

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/plan.hpp>

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>

namespace edgeplan::cli {

/// The request, hardware and output options `recommend` and `config` share (filled by CLI11).
struct RecommendOptions;

/// A plan with the catalogue it was made from.
struct PlannedDeployment {
    Catalog catalog;
    Plan plan;
};

/// Fresh options with the defaults (the type is complete only in recommend_command.cpp).
std::shared_ptr<RecommendOptions> new_plan_options();

/// Adds the request and hardware options to a planning command.
void add_plan_options(CLI::App& command, const std::shared_ptr<RecommendOptions>& options);

/// Adds --out DIR and --force.
void add_output_options(CLI::App& command, RecommendOptions& options);

/// Loads the catalogue, checks the request, reads the hardware and plans; on failure fills
/// `outcome` with the error and its hint and returns nullopt.
std::optional<PlannedDeployment> plan_from_options(const CLI::App& command,
                                                   const RecommendOptions& options,
                                                   CommandOutcome& outcome);

/// Writes the chosen deployment's files and README.md to --out atomically and lists them in
/// outcome.files_written; false (outcome failed) when nothing fits or the write fails.
bool write_deployment_files(const Plan& plan, const Catalog& catalog,
                            const RecommendOptions& options, CommandOutcome& outcome);

/// The engine pinned with --engine ("" when none): `config` requires one.
const std::string& pinned_engine(const RecommendOptions& options);

/// --format md|json and --out of the parsed options.
const std::string& output_format(const RecommendOptions& options);
const std::string& output_folder(const RecommendOptions& options);

/// Adds `edgeplan recommend`: the rules engine's plan (model, quantization, engine, settings)
/// for a task on this hardware, as the seven-section report. Exit 10 when not approved.
void set_recommend_command(CLI::App& app, CommandOutcome& outcome);

} // namespace edgeplan::cli
