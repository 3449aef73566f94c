package validators

import (
	"regexp"
	"sort"
	"strconv"
	"sync"
)

//go:generate go run ./internal/phoneplangen -o phone_plan_data.go

// The phone number checks ask a numbering plan four questions: which country
// calling codes exist, how a number written after a country code reads
// (without a national trunk prefix), whether it has a possible length, and
// what type of number it is. The answers are those of Google's
// libphonenumber (github.com/nyaruka/phonenumbers), whose metadata
// phoneplangen writes into phone_plan_data.go as constant data; the
// functions below follow the library's Parse, IsPossibleNumberWithReason,
// GetRegionCodeForNumber and GetNumberType step by step, for the only form
// the checks parse: "+" followed by digits. Unlike the library, nothing here
// runs when the program starts: a pattern is compiled the first time a
// number needs it. TestPhonePlanAgreesWithLibrary compares the two.

// phoneDesc describes the numbers of one type in a region.
type phoneDesc struct {
	pattern   string // national number pattern (matched whole)
	lengths   []int8 // possible lengths; none: those of the general description; -1: no such numbers
	localOnly []int8 // lengths possible only for local dialling
}

// phoneRegion is the numbering plan of one region ("GB"), or of one
// non-geographic country code ("001").
type phoneRegion struct {
	id                          string
	leadingDigits               string // tells the regions of a shared country code apart
	nationalPrefixForParsing    string
	nationalPrefixTransformRule string
	sameMobileAndFixedLine      bool

	general, fixedLine, mobile, tollFree, premiumRate, sharedCost,
	voip, personalNumber, pager, uan, voicemail phoneDesc
}

// phonePlan is a country calling code and its regions, the main one first.
type phonePlan struct {
	cc      uint16
	regions []phoneRegion
}

// phoneType is a type of phone number (the library's PhoneNumberType).
type phoneType uint8

const (
	phoneTypeUnknown phoneType = iota
	phoneTypeFixedLine
	phoneTypeMobile
	phoneTypeFixedLineOrMobile
	phoneTypeTollFree
	phoneTypePremiumRate
	phoneTypeSharedCost
	phoneTypeVoIP
	phoneTypePersonalNumber
	phoneTypePager
	phoneTypeUAN
	phoneTypeVoicemail
)

// phoneLength is how a number's length fits a numbering plan (the library's
// ValidationResult).
type phoneLength uint8

const (
	phoneLengthPossible phoneLength = iota
	phoneLengthPossibleLocalOnly
	phoneLengthTooShort
	phoneLengthTooLong
	phoneLengthInvalid
)

// Lengths of a national significant number (the library's MIN_LENGTH_FOR_NSN
// and MAX_LENGTH_FOR_NSN).
const (
	minNationalLength = 2
	maxNationalLength = 17
)

// phonePlanFor returns the plan of a country calling code written in
// digits, or nil when no such code is assigned.
func phonePlanFor(cc string) *phonePlan {
	if cc == "" || len(cc) > 3 || cc[0] == '0' || !allASCIIDigits(cc) {
		return nil
	}
	n, _ := strconv.Atoi(cc)
	i := sort.Search(len(phonePlans), func(i int) bool { return int(phonePlans[i].cc) >= n })
	if i == len(phonePlans) || int(phonePlans[i].cc) != n {
		return nil
	}
	return &phonePlans[i]
}

// regionIDs returns the codes of the plan's regions, the main one first;
// "001" stands for a non-geographic code.
func (p *phonePlan) regionIDs() []string {
	ids := make([]string, len(p.regions))
	for i := range p.regions {
		ids[i] = p.regions[i].id
	}
	return ids
}

// parse reads the digits nat written after the plan's country code, as the
// library parses "+<cc><nat>": it returns the national significant number
// (nat without a national trunk prefix the plan recognises), or false where
// the library returns an error or reads another country code.
func (p *phonePlan) parse(nat string) (nsn string, ok bool) {
	cc := strconv.Itoa(int(p.cc))
	full := cc + nat
	if len(full) <= minNationalLength || !allASCIIDigits(full) {
		return "", false
	}
	// The country code is the shortest prefix that is one.
	read := ""
	for l := 1; l <= 3 && l <= len(full); l++ {
		if phonePlanFor(full[:l]) != nil {
			read = full[:l]
			break
		}
	}
	if read != cc {
		return "", false
	}
	number := full[len(cc):]
	if len(number) < minNationalLength {
		return "", false
	}
	main := &p.regions[0]
	if stripped, ok := main.stripNationalPrefix(number); ok {
		// The library keeps the stripped number only when its length
		// is possible for the region.
		switch main.testLength(stripped) {
		case phoneLengthTooShort, phoneLengthPossibleLocalOnly, phoneLengthInvalid:
		default:
			number = stripped
		}
	}
	if len(number) < minNationalLength || len(number) > maxNationalLength {
		return "", false
	}
	return number, true
}

// stripNationalPrefix removes a national prefix (and carrier code) from the
// start of number as the region's rules for parsing say, unless that makes a
// number matching the region's general pattern stop matching it (the
// library's maybeStripNationalPrefixAndCarrierCode).
func (r *phoneRegion) stripNationalPrefix(number string) (string, bool) {
	if number == "" || r.nationalPrefixForParsing == "" {
		return "", false
	}
	prefix := phoneRegexp("^(?:" + r.nationalPrefixForParsing + ")")
	groups := prefix.FindStringSubmatchIndex(number)
	if groups == nil {
		return "", false
	}
	general := phoneRegexp("^(?:" + r.general.pattern + ")$")
	viable := general.MatchString(number)
	lastGroup := len(groups)/2 - 1
	if r.nationalPrefixTransformRule == "" || groups[lastGroup*2] < 0 {
		if viable && !general.MatchString(number[groups[1]:]) {
			return "", false
		}
		return number[groups[1]:], true
	}
	transformed := prefix.ReplaceAllString(number, r.nationalPrefixTransformRule)
	if viable && !general.MatchString(transformed) {
		return "", false
	}
	return transformed, true
}

// testLength says how the length of a national significant number fits the
// region's possible lengths (the library's testNumberLength for any type).
func (r *phoneRegion) testLength(number string) phoneLength {
	lengths := r.general.lengths
	if len(lengths) == 0 || lengths[0] == -1 {
		return phoneLengthInvalid
	}
	n := len(number)
	for _, l := range r.general.localOnly {
		if int(l) == n {
			return phoneLengthPossibleLocalOnly
		}
	}
	switch {
	case int(lengths[0]) == n:
		return phoneLengthPossible
	case int(lengths[0]) > n:
		return phoneLengthTooShort
	case int(lengths[len(lengths)-1]) < n:
		return phoneLengthTooLong
	}
	for _, l := range lengths[1:] {
		if int(l) == n {
			return phoneLengthPossible
		}
	}
	return phoneLengthInvalid
}

// possible says whether a national significant number has a length the
// plan's main region allows (the library's IsPossibleNumberWithReason).
func (p *phonePlan) possible(nsn string) phoneLength {
	main := &p.regions[0]
	if main.general.pattern == "" {
		switch {
		case len(nsn) < minNationalLength:
			return phoneLengthTooShort
		case len(nsn) > maxNationalLength:
			return phoneLengthTooLong
		}
		return phoneLengthPossible
	}
	return main.testLength(nsn)
}

// numberType returns the type of a national significant number: that of the
// region it belongs to, or phoneTypeUnknown when it is not a valid number
// (the library's GetNumberType; valid numbers are those of a known type).
func (p *phonePlan) numberType(nsn string) phoneType {
	if len(p.regions) == 1 {
		return p.regions[0].numberType(nsn)
	}
	for i := range p.regions {
		r := &p.regions[i]
		if r.leadingDigits != "" {
			if phoneRegexp("^(?:" + r.leadingDigits + ")").MatchString(nsn) {
				return r.numberType(nsn)
			}
		} else if t := r.numberType(nsn); t != phoneTypeUnknown {
			return t
		}
	}
	return phoneTypeUnknown
}

// numberType returns the type of a national significant number under the
// region's rules (the library's getNumberTypeHelper).
func (r *phoneRegion) numberType(nsn string) phoneType {
	if !r.general.matches(nsn) {
		return phoneTypeUnknown
	}
	for _, c := range [...]struct {
		desc *phoneDesc
		t    phoneType
	}{
		{&r.premiumRate, phoneTypePremiumRate},
		{&r.tollFree, phoneTypeTollFree},
		{&r.sharedCost, phoneTypeSharedCost},
		{&r.voip, phoneTypeVoIP},
		{&r.personalNumber, phoneTypePersonalNumber},
		{&r.pager, phoneTypePager},
		{&r.uan, phoneTypeUAN},
		{&r.voicemail, phoneTypeVoicemail},
	} {
		if c.desc.matches(nsn) {
			return c.t
		}
	}
	if r.fixedLine.matches(nsn) {
		if r.sameMobileAndFixedLine || r.mobile.matches(nsn) {
			return phoneTypeFixedLineOrMobile
		}
		return phoneTypeFixedLine
	}
	if !r.sameMobileAndFixedLine && r.mobile.matches(nsn) {
		return phoneTypeMobile
	}
	return phoneTypeUnknown
}

// matches reports whether a national significant number has one of the
// description's lengths (when it lists any) and matches its whole pattern.
// A description a region does not have matches nothing.
func (d *phoneDesc) matches(nsn string) bool {
	if len(d.lengths) > 0 {
		found := false
		for _, l := range d.lengths {
			if int(l) == len(nsn) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return phoneRegexp("^(?:" + d.pattern + ")$").MatchString(nsn)
}

// phoneRegexps caches the compiled patterns of the numbering plans.
var phoneRegexps struct {
	sync.RWMutex
	m map[string]*regexp.Regexp
}

// phoneRegexp compiles a numbering plan's pattern the first time it is
// used. The patterns are the library's, which it compiles the same way.
func phoneRegexp(pattern string) *regexp.Regexp {
	phoneRegexps.RLock()
	re := phoneRegexps.m[pattern]
	phoneRegexps.RUnlock()
	if re != nil {
		return re
	}
	re = regexp.MustCompile(pattern)
	phoneRegexps.Lock()
	defer phoneRegexps.Unlock()
	if phoneRegexps.m == nil {
		phoneRegexps.m = map[string]*regexp.Regexp{}
	}
	if cached := phoneRegexps.m[pattern]; cached != nil {
		return cached
	}
	phoneRegexps.m[pattern] = re
	return re
}
