// SPDX-License-Identifier: MIT

package alliance

/*
#include <alliance.h>
*/
import "C"

import "unsafe"

// cStructSizes are the sizes of the header's structs as cgo compiled them. cgo reads
// alliance.h itself, so the binding cannot mis-declare a layout; layout_test.go compares
// these with the C compiler's (the alliance_layout program) all the same, which catches a
// header on the include path that is not the library's.
func cStructSizes() map[string]uintptr {
	return map[string]uintptr{
		"alliance_allocator":        unsafe.Sizeof(C.alliance_allocator{}),
		"alliance_sm2_state":        unsafe.Sizeof(C.alliance_sm2_state{}),
		"alliance_sm2_params":       unsafe.Sizeof(C.alliance_sm2_params{}),
		"alliance_fsrs_params":      unsafe.Sizeof(C.alliance_fsrs_params{}),
		"alliance_fsrs_state":       unsafe.Sizeof(C.alliance_fsrs_state{}),
		"alliance_open_options":     unsafe.Sizeof(C.alliance_open_options{}),
		"alliance_config":           unsafe.Sizeof(C.alliance_config{}),
		"alliance_deck_info":        unsafe.Sizeof(C.alliance_deck_info{}),
		"alliance_note":             unsafe.Sizeof(C.alliance_note{}),
		"alliance_card":             unsafe.Sizeof(C.alliance_card{}),
		"alliance_render_options":   unsafe.Sizeof(C.alliance_render_options{}),
		"alliance_rendered_card":    unsafe.Sizeof(C.alliance_rendered_card{}),
		"alliance_review":           unsafe.Sizeof(C.alliance_review{}),
		"alliance_counts":           unsafe.Sizeof(C.alliance_counts{}),
		"alliance_stats":            unsafe.Sizeof(C.alliance_stats{}),
		"alliance_exam_status":      unsafe.Sizeof(C.alliance_exam_status{}),
		"alliance_cram_options":     unsafe.Sizeof(C.alliance_cram_options{}),
		"alliance_study_settings":   unsafe.Sizeof(C.alliance_study_settings{}),
		"alliance_import_options":   unsafe.Sizeof(C.alliance_import_options{}),
		"alliance_import_deck":      unsafe.Sizeof(C.alliance_import_deck{}),
		"alliance_import_report":    unsafe.Sizeof(C.alliance_import_report{}),
		"alliance_export_options":   unsafe.Sizeof(C.alliance_export_options{}),
		"alliance_lint_options":     unsafe.Sizeof(C.alliance_lint_options{}),
		"alliance_lint_warning":     unsafe.Sizeof(C.alliance_lint_warning{}),
		"alliance_lint_report":      unsafe.Sizeof(C.alliance_lint_report{}),
		"alliance_sync_options":     unsafe.Sizeof(C.alliance_sync_options{}),
		"alliance_sync_report":      unsafe.Sizeof(C.alliance_sync_report{}),
		"alliance_scheduler_report": unsafe.Sizeof(C.alliance_scheduler_report{}),
	}
}
