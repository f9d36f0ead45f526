# SPDX-License-Identifier: MIT
"""The thin layer mirrors include/alliance.h exactly: every function, constant and struct."""

import ctypes
import os
import re
import subprocess
import unittest

import support
from alliance import capi


def header_text():
    with open(support.HEADER, encoding="utf-8") as f:
        return f.read()


def header_functions():
    flat = re.sub(r"\s+", " ", header_text())
    return set(re.findall(r"ALLIANCE_API [^;(]*?\b(alliance_[a-z0-9_]+)\s*\(", flat))


def header_declarations():
    """name -> (return type, [parameter types]) for every ALLIANCE_API function, as C text."""
    flat = re.sub(r"\s+", " ", re.sub(r"/\*.*?\*/", " ", header_text(), flags=re.S))
    found = {}
    for ret, name, params in re.findall(r"ALLIANCE_API ([^;(]*?)\b(alliance_[a-z0-9_]+)\s*\(([^)]*)\)\s*;", flat):
        types = []
        for param in params.split(","):
            param = param.strip()
            if param == "void":
                continue
            # Drop the parameter name: the last identifier, unless the type is all there is.
            m = re.fullmatch(r"(.*?[\s*])([A-Za-z_][A-Za-z0-9_]*)", param)
            types.append(m.group(1) if m else param)
        found[name] = (ret, types)
    return found


C_SCALARS = {"void": None, "int": ctypes.c_int, "int32_t": ctypes.c_int32, "uint32_t": ctypes.c_uint32,
             "double": ctypes.c_double,
             "int64_t": ctypes.c_int64, "uint64_t": ctypes.c_uint64, "size_t": ctypes.c_size_t,
             "uint8_t": ctypes.c_uint8, "alliance_write_fn": capi.alliance_write_fn,
             "alliance_read_fn": capi.alliance_read_fn}


def c_type(text):
    """The ctypes type the binding must use for a C type written as in the header."""
    if re.fullmatch(r"\s*const char \*\s*const \*\s*", text):
        return ctypes.POINTER(ctypes.c_char_p)  # an array of strings the library owns
    text = re.sub(r"\bconst\b", "", text)
    stars = text.count("*")
    base = text.replace("*", "").strip()
    if base == "char" and stars == 1:
        return ctypes.c_char_p  # a NUL-terminated string in, or a static one out
    if base == "char":
        t = ctypes.c_char
    elif base == "void" and stars == 1:
        return ctypes.c_void_p
    elif base in C_SCALARS:
        t = C_SCALARS[base]
    else:
        t = getattr(capi, base)  # alliance_db, alliance_card, ...
    for _ in range(stars):
        t = ctypes.POINTER(t)
    return t


def header_structs():
    return set(re.findall(r"typedef struct (alliance_[a-z0-9_]+) \{", header_text()))


def header_integer_macros():
    """#define ALLIANCE_X <integer> for every macro whose value is a plain integer."""
    values = {}
    for name, value in re.findall(r"^#define ALLIANCE_([A-Z0-9_]+)[ \t]+([^/\n]+)", header_text(), re.M):
        value = value.strip()
        m = re.fullmatch(r"\(?(-?(?:0x[0-9a-fA-F]+|\d+))u?\)?", value)
        if m:
            values[name] = int(m.group(1), 0)
        elif value == "INT32_MIN":
            values[name] = -2 ** 31
    return values


def layout_program():
    path = os.environ.get("ALLIANCE_LAYOUT") or os.path.join(support.REPOSITORY, "build", "bindings",
                                                              "alliance_layout")
    if not os.path.exists(path):
        raise AssertionError("%s is missing: build the repository (it is the alliance_layout target) "
                             "or set ALLIANCE_LAYOUT" % path)
    return path


class TestFunctions(unittest.TestCase):
    def test_every_header_function_has_a_prototype(self):
        declared = header_functions()
        self.assertGreater(len(declared), 50)
        self.assertEqual(sorted(declared - set(capi.PROTOTYPES)), [], "declared but not bound")

    def test_every_prototype_is_declared_in_the_header(self):
        self.assertEqual(sorted(set(capi.PROTOTYPES) - header_functions()), [], "bound but not declared")

    def test_the_library_exports_every_function(self):
        self.assertEqual(capi.lib.missing, [], "%s lacks these functions" % capi.lib.path)

    def test_every_prototype_matches_the_header_declaration(self):
        declarations = header_declarations()
        for name, (restype, argtypes) in capi.PROTOTYPES.items():
            with self.subTest(function=name):
                ret, params = declarations[name]
                self.assertIs(restype, c_type(ret), "return type %r" % ret)
                self.assertEqual(list(argtypes), [c_type(p) for p in params], "parameters %r" % (params,))
                fn = getattr(capi.lib, name)
                if fn:  # missing ones are reported by test_the_library_exports_every_function
                    self.assertIs(fn.restype, restype)
                    self.assertEqual(list(fn.argtypes), list(argtypes))

    def test_the_library_was_found_where_asked(self):
        wanted = os.environ.get("ALLIANCE_LIBRARY")
        if wanted:  # under ctest: the freshly built library, never another one
            self.assertEqual(os.path.realpath(capi.lib.path), os.path.realpath(wanted))
        under = os.environ.get("ALLIANCE_EXPECT_LIBRARY_UNDER")
        if under:  # the installed package (tests/installed/run.sh): the library installed with it
            self.assertTrue(os.path.realpath(capi.lib.path).startswith(os.path.realpath(under) + os.sep),
                            capi.lib.path)
        if not wanted and not under:
            self.skipTest("neither ALLIANCE_LIBRARY nor ALLIANCE_EXPECT_LIBRARY_UNDER says where to look")

    def test_an_explicit_library_that_does_not_exist_is_never_replaced(self):
        result = support.run_python(["-c", "import alliance"], env={"ALLIANCE_LIBRARY": "/nonexistent/liballiance.so.0"})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("/nonexistent/liballiance.so.0", result.stderr)

    def test_the_search_order(self):
        """ALLIANCE_LIBRARY alone when set; otherwise the recorded, pkg-config's, then the loader's."""
        saved = os.environ.get("ALLIANCE_LIBRARY")
        try:
            os.environ["ALLIANCE_LIBRARY"] = "/x/liballiance.so.0"
            self.assertEqual(capi.library_candidates(), ["/x/liballiance.so.0"])
            del os.environ["ALLIANCE_LIBRARY"]
            candidates = capi.library_candidates()
            self.assertIn(capi.SONAME, candidates)
            self.assertFalse(any("/build/" in c for c in candidates), candidates)
        finally:
            if saved is not None:
                os.environ["ALLIANCE_LIBRARY"] = saved

    def test_a_missing_function_names_itself_when_called(self):
        missing = capi._Missing("alliance_frobnicate", "/x/liballiance.so")
        with self.assertRaisesRegex(NotImplementedError, "alliance_frobnicate"):
            missing()

    def test_runtime_version_matches_the_header(self):
        self.assertEqual(capi.lib.alliance_version_number(), capi.VERSION_NUMBER)
        self.assertEqual(capi.lib.alliance_version_string(), capi.VERSION_STRING.encode())


class TestConstants(unittest.TestCase):
    def test_every_integer_macro_has_the_same_value(self):
        macros = header_integer_macros()
        self.assertIn("EGRADE", macros)
        self.assertEqual(macros["EGRADE"], -4)
        for name, value in macros.items():
            with self.subTest(name=name):
                self.assertTrue(hasattr(capi, name), "capi lacks ALLIANCE_%s" % name)
                self.assertEqual(getattr(capi, name), value)

    def test_version_string_macro(self):
        m = re.search(r'#define ALLIANCE_VERSION_STRING "([^"]+)"', header_text())
        self.assertEqual(m.group(1), capi.VERSION_STRING)


class TestStructs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        out = subprocess.run([layout_program()], check=True, capture_output=True, text=True).stdout
        cls.sizes = {}
        cls.fields = {}
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 2:
                cls.sizes[parts[0]] = int(parts[1])
            else:
                struct, field = parts[0].split(".")
                cls.fields.setdefault(struct, []).append((field, int(parts[1]), int(parts[2])))

    def test_every_header_struct_is_mirrored(self):
        self.assertEqual(sorted(header_structs()), sorted(s.__name__ for s in capi.STRUCTS))
        self.assertEqual(sorted(self.sizes), sorted(s.__name__ for s in capi.STRUCTS))

    def test_field_types_match_the_header(self):
        text = re.sub(r"/\*.*?\*/", " ", header_text(), flags=re.S)
        for struct in capi.STRUCTS:
            name = struct.__name__
            with self.subTest(struct=name):
                body = re.search(r"typedef struct %s \{(.*?)\} %s;" % (name, name), text, re.S).group(1)
                declared = []
                for member in (m.strip() for m in body.split(";") if m.strip()):
                    m = re.fullmatch(r"(.*?)\(\s*\*\s*(\w+)\s*\)\s*\((.*)\)", member, re.S)
                    if m:  # a function pointer: compare with the CFUNCTYPE's prototype
                        params = [re.sub(r"\w+$", "", p.strip()) for p in m.group(3).split(",")]
                        declared.append((m.group(2), (c_type(m.group(1)), [c_type(p) for p in params])))
                    elif member.endswith("]"):  # an array: the element type times its length
                        m = re.fullmatch(r"(.*?[\s*])(\w+)\s*\[\s*(\d+)\s*\]", member, re.S)
                        declared.append((m.group(2), c_type(m.group(1)) * int(m.group(3))))
                    else:
                        m = re.fullmatch(r"(.*?[\s*])(\w+)", member, re.S)
                        declared.append((m.group(2), c_type(m.group(1))))
                mirrored = []
                for field, t in struct._fields_:
                    if hasattr(t, "_argtypes_"):
                        mirrored.append((field, (t._restype_, list(t._argtypes_))))
                    else:
                        mirrored.append((field, t))
                self.assertEqual(mirrored, declared)

    # Structs the library allocates: callers never fill them.
    LIBRARY_ALLOCATED = {"alliance_card", "alliance_import_report", "alliance_deck_info", "alliance_rendered_card",
                         "alliance_lint_report", "alliance_lint_warning", "alliance_import_deck",
                         "alliance_sync_report", "alliance_scheduler_report"}

    def test_every_struct_the_caller_fills_has_an_init_function_and_macro(self):
        text = header_text()
        functions = header_functions()
        for name in sorted(header_structs() - self.LIBRARY_ALLOCATED):
            struct = getattr(capi, name)
            if struct._fields_[0][0] != "version":
                continue  # a frozen value struct (alliance_sm2_state, alliance_fsrs_state): no version, no init
            with self.subTest(struct=name):
                self.assertEqual(struct._fields_[0], ("version", ctypes.c_uint32), "version comes first")
                self.assertIn(name + "_init", functions)
                macro = "ALLIANCE_" + name[len("alliance_"):].upper() + "_INIT"
                self.assertRegex(text, r"#define %s\b" % macro)

    def test_sizes_match_the_compiler(self):
        for struct in capi.STRUCTS:
            with self.subTest(struct=struct.__name__):
                self.assertEqual(ctypes.sizeof(struct), self.sizes[struct.__name__])

    def test_fields_offsets_and_sizes_match_the_compiler(self):
        for struct in capi.STRUCTS:
            with self.subTest(struct=struct.__name__):
                mirrored = [(name, getattr(struct, name).offset, getattr(struct, name).size)
                            for name, _ in struct._fields_]
                self.assertEqual(mirrored, self.fields[struct.__name__])


class TestThinCalls(unittest.TestCase):
    """The raw API is usable as in C: _init functions, out-parameters, codes."""

    def test_params_init_then_next(self):
        lib = capi.lib
        params = capi.alliance_sm2_params()
        self.assertEqual(lib.alliance_sm2_params_init(ctypes.byref(params), capi.SM2_SUPERMEMO), capi.OK)
        self.assertEqual(params.version, capi.SM2_PARAMS_VERSION)
        state = capi.alliance_sm2_state()
        self.assertEqual(lib.alliance_sm2_state_init(ctypes.byref(params), ctypes.byref(state)), capi.OK)
        self.assertEqual(lib.alliance_sm2_next(ctypes.byref(params), ctypes.byref(state), 5, ctypes.byref(state)),
                         capi.OK)
        self.assertEqual((state.repetitions, state.interval_days), (1, 1))

    def test_fsrs_params_init_then_next(self):
        lib = capi.lib
        params = capi.alliance_fsrs_params()
        self.assertEqual(lib.alliance_fsrs_params_init(ctypes.byref(params), capi.FSRS_PARAMS_VERSION), capi.OK)
        self.assertEqual((params.version, params.weights[2], params.desired_retention, params.max_interval_days),
                         (capi.FSRS_PARAMS_VERSION, 2.3065, 0.9, 36500))
        state = capi.alliance_fsrs_state()  # a new card is all zeros
        self.assertEqual(lib.alliance_fsrs_next(ctypes.byref(params), ctypes.byref(state), capi.FSRS_GOOD, 0,
                                                ctypes.byref(state)), capi.OK)
        self.assertEqual((state.stability, state.interval_days), (2.3065, 3))
        r = ctypes.c_double(-1)
        self.assertEqual(lib.alliance_fsrs_retrievability(ctypes.byref(params), ctypes.byref(state), 3,
                                                          ctypes.byref(r)), capi.OK)
        self.assertEqual(r.value, 0.88094796)

    def test_open_options_init_fills_the_documented_defaults(self):
        opts = capi.alliance_open_options()
        self.assertEqual(capi.lib.alliance_open_options_init(ctypes.byref(opts), capi.OPEN_OPTIONS_VERSION), capi.OK)
        self.assertEqual((opts.version, opts.flags, opts.synchronous, opts.busy_timeout_ms, opts.utc_offset_seconds),
                         (capi.OPEN_OPTIONS_VERSION, capi.OPEN_CREATE, capi.SYNC_FULL, 5000, capi.UTC_OFFSET_LOCAL))

    def test_import_options_init_fills_the_documented_defaults(self):
        opts = capi.alliance_import_options()
        self.assertEqual(capi.lib.alliance_import_options_init(ctypes.byref(opts), capi.IMPORT_OPTIONS_VERSION), capi.OK)
        self.assertEqual((opts.version, opts.format, opts.deck_name, opts.dry_run),
                         (capi.IMPORT_OPTIONS_VERSION, capi.FORMAT_DECK, None, 0))

    def test_null_arguments_are_einval_not_a_crash(self):
        lib = capi.lib
        self.assertEqual(lib.alliance_sm2_params_init(None, 0), capi.EINVAL)
        self.assertEqual(lib.alliance_day_number(None, 0, 0, 4), capi.EINVAL)
        self.assertEqual(lib.alliance_close(None), capi.OK)
        lib.alliance_free(None)
        lib.alliance_session_close(None)
        lib.alliance_card_iter_free(None)
        lib.alliance_review_iter_free(None)
        self.assertEqual(lib.alliance_errmsg(None), b"out of memory")


if __name__ == "__main__":
    unittest.main()
