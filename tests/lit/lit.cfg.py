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
