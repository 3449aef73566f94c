package validators

import "github.com/hashicorp/terraform-plugin-framework/schema/validator"

// Titles are the job titles a message contact can have.
var Titles = []string{"FinanceDirector", "TechnicalDirector", "MaintenanceDirector", "CEO", "ProjectDirector", "Other"}

// Title returns a validator which ensures that a string is one of Titles,
// spelled exactly as the API spells it.
//
// Null and unknown values are skipped.
func Title() validator.String {
	return enumValidator{values: Titles}
}
