# lit configuration for taskc: one folder per feature, one behaviour per test.
import os
import lit.formats

config.name = "taskc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".tg", ".test"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py.in"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.taskc_obj_root, "tests", "lit")

config.substitutions.append(("%taskc", config.taskc_bin))
config.substitutions.append(("%python", config.python))
config.substitutions.append(("%src_root", config.taskc_src_root))
config.substitutions.append(("%obj_root", config.taskc_obj_root))
# FileCheck, not, count come from llvm-19-tools.
config.environment["PATH"] = os.pathsep.join(
    [os.path.dirname(config.filecheck), config.environment.get("PATH", os.environ["PATH"])])
config.environment["LC_ALL"] = "C"

# tests/lit/mpi: `taskc --mpi` needs libtaskrt_mpi.a (built where Open MPI
# is installed) and mpirun; without them those tests are UNSUPPORTED.
import shutil
mpirun = shutil.which("mpirun")
if mpirun and os.path.exists(os.path.join(config.taskc_obj_root, "libtaskrt_mpi.a")):
    config.available_features.add("mpi")
    # as root in CI; shared memory and self only (no network probing)
    config.substitutions.append(
        ("%mpirun", mpirun + " --allow-run-as-root --oversubscribe --mca btl self,vader"))
    for k in ["OMPI_ALLOW_RUN_AS_ROOT", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"]:
        config.environment[k] = "1"
    for k in ["HOME", "TMPDIR"]:  # Open MPI's session directory
        if k in os.environ:
            config.environment[k] = os.environ[k]
else:
    lit_config.note("mpirun or libtaskrt_mpi.a not found: the tests in mpi/ are "
                    "UNSUPPORTED (install libopenmpi-dev openmpi-bin, rebuild)")

# Open MPI jobs run one at a time: two mpirun jobs at once (as root, lit's
# two workers) have been seen to leave an mpirun waiting after its ranks
# ended. tests/lit/mpi/lit.local.cfg puts its tests in this group.
lit_config.parallelism_groups["mpi"] = 1
