#!/usr/bin/env bash
# Runs one golden end-to-end case: tests/e2e/cases/<name>/
#   args             one command-line argument per line; @SHARED@ is replaced by the
#                    shared/ folder (the case skips when it is absent)
#   env              optional KEY=VALUE lines added to the environment
#   expected_stdout  expected standard output (exactly)
#   expected_stderr  expected standard error (exactly)
#   expected_exit    expected exit code
#   expected_files/  optional: the tree the command writes under @OUT@ (a fresh temporary
#                    folder named in args), compared file by file, with expected_modes
#                    holding each file's permission bits; @OUT@ in stdout/stderr reads back
#                    as @OUT@, and the repository's own path as @REPO@
# The command runs with the case folder as its working directory, so fixture files are
# named relative to it. EDGEPLAN_UPDATE_GOLDEN=1 rewrites the expected files from the
# actual run, so a change in output is reviewed as a diff.
set -u
binary=$1
case_dir=$2
shared_dir=${3:-}
name=$(basename "$case_dir")

out_dir=$(mktemp -d)
mapfile -t raw_args < "$case_dir/args"
args=()
for arg in "${raw_args[@]}"; do
  arg=${arg//@OUT@/$out_dir}
  if [[ $arg == *@SHARED@* ]]; then
    if [[ -z $shared_dir || ! -d $shared_dir ]]; then
      echo "SKIPPED: $name needs ../shared, which is not present"
      exit 77
    fi
    arg=${arg//@SHARED@/$shared_dir}
  fi
  args+=("$arg")
done

env_args=()
if [[ -f $case_dir/env ]]; then
  while IFS= read -r line; do
    [[ -n $line ]] && env_args+=("$line")
  done < "$case_dir/env"
fi

out=$(mktemp); err=$(mktemp); modes=$(mktemp)
trap 'rm -rf "$out" "$err" "$modes" "$out_dir"' EXIT
(cd "$case_dir" && env "${env_args[@]}" "$binary" "${args[@]}" >"$out" 2>"$err" </dev/null)
code=$?
# Absolute paths the tool prints (a --model-file in a systemd unit) read back as @REPO@.
repo_root=$(cd "$case_dir/../../../.." && pwd)
sed -i -e "s|$out_dir|@OUT@|g" -e "s|$repo_root|@REPO@|g" "$out" "$err"
find "$out_dir" -type f -exec sed -i "s|$repo_root|@REPO@|g" {} +
(cd "$out_dir" && find . -type f -printf '%m %P\n' | sort) > "$modes"

# An invariant of every command, whatever the case expects: a failure prints nothing on
# stdout (exit 10, "does not fit", is a report and so has one).
if [[ $code -ne 0 && $code -ne 10 && -s $out ]]; then
  echo "FAIL: $name: exit $code but stdout is not empty"
  exit 1
fi
if [[ $code -ne 0 && $code -ne 10 && $(wc -l < "$err") -lt 1 ]]; then
  echo "FAIL: $name: exit $code with no error line on stderr"
  exit 1
fi

if [[ ${EDGEPLAN_UPDATE_GOLDEN:-0} == 1 ]]; then
  cp "$out" "$case_dir/expected_stdout"
  cp "$err" "$case_dir/expected_stderr"
  echo "$code" > "$case_dir/expected_exit"
  if [[ -d $case_dir/expected_files ]]; then
    rm -rf "$case_dir/expected_files"
    cp -r "$out_dir" "$case_dir/expected_files"
    cp "$modes" "$case_dir/expected_modes"
  fi
  echo "UPDATED: $name"
  exit 0
fi

status=0
expected_exit=$(cat "$case_dir/expected_exit")
if [[ $code -ne $expected_exit ]]; then
  echo "FAIL: $name: exit code $code, expected $expected_exit"
  status=1
fi
if ! diff -u "$case_dir/expected_stdout" "$out" > /dev/null; then
  echo "FAIL: $name: stdout differs from expected_stdout:"
  diff -u "$case_dir/expected_stdout" "$out" | head -60
  status=1
fi
if ! diff -u "$case_dir/expected_stderr" "$err" > /dev/null; then
  echo "FAIL: $name: stderr differs from expected_stderr:"
  diff -u "$case_dir/expected_stderr" "$err" | head -30
  status=1
fi
if [[ -d $case_dir/expected_files ]]; then
  if ! diff -ru "$case_dir/expected_files" "$out_dir" > /dev/null; then
    echo "FAIL: $name: the files written differ from expected_files:"
    diff -ru "$case_dir/expected_files" "$out_dir" | head -60
    status=1
  fi
  if ! diff -u "$case_dir/expected_modes" "$modes" > /dev/null; then
    echo "FAIL: $name: file modes differ from expected_modes:"
    diff -u "$case_dir/expected_modes" "$modes"
    status=1
  fi
fi
[[ $status -eq 0 ]] && echo "PASS: $name"
exit $status
