package validators

import (
	"math/rand/v2"
	"sort"
	"strconv"

	"github.com/nyaruka/phonenumbers"
)

// phoneSampleTypes are the number types whose example numbers seed the
// samples.
var phoneSampleTypes = []phonenumbers.PhoneNumberType{
	phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE,
	phonenumbers.PREMIUM_RATE, phonenumbers.SHARED_COST, phonenumbers.VOIP,
	phonenumbers.PERSONAL_NUMBER, phonenumbers.PAGER, phonenumbers.UAN,
	phonenumbers.VOICEMAIL,
}

// phoneSample is a country code and the digits written after it.
type phoneSample struct{ cc, nat string }

// phoneSamples returns, for every country calling code the library knows,
// numbers around each example number of each region and type (the example,
// with a trunk prefix, shortened, lengthened, each digit changed, a leading
// zero) and perRegion random digit strings of every length, in a fixed order
// for a given seed.
func phoneSamples(seed uint64, perRegion int) []phoneSample {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	ccs := make([]int, 0, 300)
	for cc := range phonenumbers.GetSupportedCallingCodes() {
		ccs = append(ccs, cc)
	}
	sort.Ints(ccs)
	var out []phoneSample
	seen := map[phoneSample]bool{}
	add := func(cc, nat string) {
		s := phoneSample{cc, nat}
		if nat == "" || len(cc)+len(nat) > 17 || seen[s] {
			return
		}
		seen[s] = true
		out = append(out, s)
	}
	for _, n := range ccs {
		cc := strconv.Itoa(n)
		var examples []string
		for _, region := range phonenumbers.GetRegionCodesForCountryCode(n) {
			var nums []*phonenumbers.PhoneNumber
			if region == "001" {
				nums = append(nums, phonenumbers.GetExampleNumberForNonGeoEntity(n))
			} else {
				for _, t := range phoneSampleTypes {
					nums = append(nums, phonenumbers.GetExampleNumberForType(region, t))
				}
			}
			for _, num := range nums {
				if num != nil {
					examples = append(examples, phonenumbers.GetNationalSignificantNumber(num))
				}
			}
			if ndd := phonenumbers.GetNddPrefixForRegion(region, true); ndd != "" && len(examples) > 0 {
				examples = append(examples, ndd+examples[0])
			}
		}
		for _, ex := range examples {
			add(cc, ex)
			add(cc, "0"+ex)
			for cut := 1; cut <= 3 && cut < len(ex); cut++ {
				add(cc, ex[:len(ex)-cut])
			}
			add(cc, ex+strconv.Itoa(rng.IntN(10)))
			add(cc, ex+strconv.Itoa(rng.IntN(100)))
			for i := range len(ex) {
				b := []byte(ex)
				b[i] = byte('0' + rng.IntN(10))
				add(cc, string(b))
			}
		}
		for range perRegion {
			l := 1 + rng.IntN(15-len(cc))
			b := make([]byte, l)
			for i := range b {
				b[i] = byte('0' + rng.IntN(10))
			}
			add(cc, string(b))
		}
	}
	return out
}
