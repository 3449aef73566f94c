package provider

import (
	"fmt"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/emulator"
)

func expectNoCalls(e *emulator.Emulator) error {
	if calls := e.Calls(); len(calls) != 0 {
		return fmt.Errorf("expected no API call, the emulator served %d (first: %s)", len(calls), calls[0].Action)
	}
	return nil
}
