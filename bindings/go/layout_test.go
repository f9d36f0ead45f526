// SPDX-License-Identifier: MIT

package alliance

// The binding covers the header: every function is called (or listed below with the
// reason it is not), every constant is read from the header, every field of every struct
// is converted, and every struct's size is the C compiler's. docs/bindings.md explains.

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func headerPath() string {
	if p := os.Getenv("ALLIANCE_HEADER"); p != "" {
		return p
	}
	return filepath.Join("..", "..", "include", "alliance.h")
}

func headerText(t *testing.T) string {
	data, err := os.ReadFile(headerPath())
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

var comments = regexp.MustCompile(`(?s)/\*.*?\*/`)

// goSources is the text of the package's non-test files.
func goSources(t *testing.T) map[string]string {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[f] = string(data)
	}
	return out
}

// Functions the Go layer does not call, and why.
var notCalled = map[string]string{
	"alliance_set_allocator":      "an allocator written in Go would run cgo callbacks inside every call; set it from C",
	"alliance_allocator_init":     "goes with alliance_set_allocator",
	"alliance_sm2_params_init":    "deprecated: alliance_sm2_params_init_v2 is used",
	"alliance_forecast":           "deprecated: alliance_forecast_v2 is used",
	"alliance_deck_export":        "called by the C shim in export_shim.go (a Go function is not a C function pointer)",
	"alliance_export":             "called by the C shim in export_shim.go (a Go function is not a C function pointer)",
	"alliance_sync_state":         "called by the C shim in sync_shim.go (a Go function is not a C function pointer)",
	"alliance_sync_changes":       "called by the C shim in sync_shim.go (a Go function is not a C function pointer)",
	"alliance_sync_apply":         "called by the C shim in sync_shim.go (a Go function is not a C function pointer)",
	"alliance_sync_clone":         "called by the C shim in sync_shim.go (a Go function is not a C function pointer)",
	"alliance_review_export_fsrs": "called by the C shim in export_shim.go (a Go function is not a C function pointer)",
}

func TestEveryHeaderFunctionIsCalled(t *testing.T) {
	flat := strings.Join(strings.Fields(comments.ReplaceAllString(headerText(t), " ")), " ")
	declared := regexp.MustCompile(`ALLIANCE_API [^;(]*?\b(alliance_[a-z0-9_]+)\s*\(`).FindAllStringSubmatch(flat, -1)
	if len(declared) < 60 {
		t.Fatalf("only %d functions found in %s", len(declared), headerPath())
	}
	all := strings.Join(valuesOf(goSources(t)), "\n")
	for _, m := range declared {
		name := m[1]
		if reason, ok := notCalled[name]; ok {
			shim := "export_shim.go"
			if strings.Contains(reason, "sync_shim.go") {
				shim = "sync_shim.go"
			}
			if strings.Contains(reason, "C shim") && !strings.Contains(goSources(t)[shim], name+"(") {
				t.Errorf("%s: %s, but the shim does not call it", name, reason)
			}
			continue
		}
		if !strings.Contains(all, "C."+name+"(") {
			t.Errorf("%s is declared in the header but the Go binding never calls it", name)
		}
	}
}

func valuesOf(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestEveryHeaderConstantIsReadFromTheHeader(t *testing.T) {
	all := strings.Join(valuesOf(goSources(t)), "\n")
	re := regexp.MustCompile(`(?m)^#define ALLIANCE_([A-Z0-9_]+)[ \t]+([^/\n]+)`)
	n := 0
	for _, m := range re.FindAllStringSubmatch(headerText(t), -1) {
		value := strings.TrimSpace(m[2])
		if strings.HasSuffix(m[1], "_INIT") || m[1] == "API" || strings.HasPrefix(value, "__") || value == "" {
			continue // initialiser macros, and ALLIANCE_API itself
		}
		n++
		if !strings.Contains(all, "C.ALLIANCE_"+m[1]+")") && !strings.Contains(all, "C.ALLIANCE_"+m[1]+"\n") {
			t.Errorf("ALLIANCE_%s has no Go constant read from the header", m[1])
		}
	}
	if n < 40 {
		t.Fatalf("only %d constants found", n)
	}
}

// The Go functions that convert each struct: each of them reads (C to Go) or writes (Go to C)
// every field but `version`, which the _init functions write and the library checks.
var converters = map[string][]string{
	"alliance_sync_options":     {"syncOptionsToC"},
	"alliance_sync_report":      {"syncReportFromC"},
	"alliance_scheduler_report": {"schedulerReportFromC"},
	"alliance_sm2_state":        {"stateFromC", "stateToC"},
	"alliance_sm2_params":       {"paramsFromC", "paramsToC"},
	"alliance_fsrs_params":      {"fsrsParamsFromC", "fsrsParamsToC"},
	"alliance_fsrs_state":       {"fsrsStateFromC", "fsrsStateToC"},
	"alliance_open_options":     {"Open"},
	"alliance_config":           {"configFromC", "SetConfig"},
	"alliance_deck_info":        {"deckInfoFromC"},
	"alliance_note":             {"noteToC"},
	"alliance_card":             {"cardFromC", "cardToC"},
	"alliance_render_options":   {"Render"},
	"alliance_rendered_card":    {"renderedFromC"},
	"alliance_review":           {"reviewFromC"},
	"alliance_counts":           {"Counts"},
	"alliance_stats":            {"statsFromC"},
	"alliance_exam_status":      {"examStatusFromC"},
	"alliance_cram_options":     {"Cram"},
	"alliance_study_settings":   {"StudySettings", "SetStudySettings"},
	"alliance_import_options":   {"importOptionsToC"},
	"alliance_import_deck":      {"importDeckFromC"},
	"alliance_import_report":    {"takeReport"},
	"alliance_export_options":   {"exportOptionsToC"},
	"alliance_lint_options":     {"lintOptionsToC"},
	"alliance_lint_warning":     {"lintWarningFromC"},
	"alliance_lint_report":      {"lintReportFromC"},
}

func headerStructs(t *testing.T) map[string][]string {
	text := comments.ReplaceAllString(headerText(t), " ")
	out := map[string][]string{}
	re := regexp.MustCompile(`(?s)typedef struct (alliance_[a-z0-9_]+) \{(.*?)\} (alliance_[a-z0-9_]+);`)
	field := regexp.MustCompile(`(?s)(\w+)\s*(?:\[\d+\])?$`)
	for _, m := range re.FindAllStringSubmatch(text, -1) {
		for _, member := range strings.Split(m[2], ";") {
			member = strings.TrimSpace(member)
			if member == "" {
				continue
			}
			if fp := regexp.MustCompile(`\(\s*\*\s*(\w+)\s*\)`).FindStringSubmatch(member); fp != nil {
				out[m[1]] = append(out[m[1]], fp[1])
			} else {
				out[m[1]] = append(out[m[1]], field.FindStringSubmatch(member)[1])
			}
		}
	}
	return out
}

// functionBodies is the source text of each function and method of the package.
func functionBodies(t *testing.T) map[string]string {
	fset := token.NewFileSet()
	out := map[string]string{}
	for name, src := range goSources(t) {
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok && fn.Body != nil {
				start, end := fset.Position(fn.Body.Pos()).Offset, fset.Position(fn.Body.End()).Offset
				out[fn.Name.Name] += src[start:end]
			}
		}
	}
	return out
}

func TestEveryStructFieldIsConverted(t *testing.T) {
	structs := headerStructs(t)
	bodies := functionBodies(t)
	for name, fields := range structs {
		fns, ok := converters[name]
		if name == "alliance_allocator" {
			continue // see notCalled
		}
		if !ok {
			t.Errorf("%s: no converter is listed for it", name)
			continue
		}
		for _, fn := range fns {
			body := bodies[fn]
			if body == "" {
				t.Fatalf("%s: no function %s", name, fn)
			}
			for _, field := range fields {
				goName := field
				if field == "type" {
					goName = "_type" // cgo's name for a field that is a Go keyword
				}
				if field == "version" {
					continue
				}
				// c.field (read or assigned) or field: (in a composite literal)
				if !regexp.MustCompile(`\.` + goName + `\b|\b` + goName + `:`).MatchString(body) {
					t.Errorf("%s.%s is not converted by %s", name, field, fn)
				}
			}
		}
	}
}

func TestStructSizesAreTheCompilers(t *testing.T) {
	program := os.Getenv("ALLIANCE_LAYOUT")
	if program == "" {
		program = filepath.Join("..", "..", "build", "bindings", "alliance_layout")
	}
	out, err := exec.Command(program).Output()
	if err != nil {
		t.Fatalf("%s: %v (build the alliance_layout target, or set ALLIANCE_LAYOUT)", program, err)
	}
	want := map[string]uintptr{}
	scanner := bufio.NewScanner(strings.NewReader(string(out)))
	for scanner.Scan() {
		parts := strings.Fields(scanner.Text())
		if len(parts) == 2 {
			n, _ := strconv.Atoi(parts[1])
			want[parts[0]] = uintptr(n)
		}
	}
	got := cStructSizes()
	if len(got) != len(want) {
		t.Errorf("%d structs here, %d in the header", len(got), len(want))
	}
	for name, size := range want {
		if got[name] != size {
			t.Errorf("sizeof %s: %d through cgo, %d for the C compiler", name, got[name], size)
		}
	}
}
