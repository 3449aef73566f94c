// Package validators holds the schema validators of the provider's
// attributes (phone numbers, email addresses, contact names, titles,
// message types and IDs) and the plain checks behind them, which the
// provider function normalize_phone_number also uses.
//
// Each validator skips null and unknown values: Terraform validates them
// again once they are known.
package validators
