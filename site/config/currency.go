package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/coachbook/coachbook/site/civil"
	"github.com/coachbook/coachbook/site/diag"
)

// Deals may be in several currencies; the reports add amounts in one, the
// corporate currency, and never add two currencies without a rate:
//
//	[currency]
//	corporate = "USD"                  # what the reports sum and show; quotas
//	                                   # are in it unless a rep names another
//	[currency.rates]                   # corporate units per unit of a currency
//	MXN = 0.055                        # a fixed rate
//	[currency.rates.COP]               # or dated rates: each from its day on
//	2023-01-01 = 0.00022
//	2023-07-01 = 0.00025
//
// A deal's amount is converted at its close date (else its creation), a
// forecast's at the day it was submitted, a quota in a rep's own currency
// at each period's first day; an export's converted column (Salesforce
// "Amount (converted)", HubSpot "Amount in company currency") is taken as
// it is.

// Currency holds [currency].
type Currency struct {
	Corporate string         `toml:"corporate"`
	RatesRaw  map[string]any `toml:"rates"`
	// Rates are each currency's rates, oldest first; a fixed rate is one
	// rate from civil.None.
	Rates map[string][]Rate `toml:"-"`
	// Line is where [currency] is, for messages.
	Line int `toml:"-"`
}

// Rate is a currency's value in the corporate currency from a day on.
type Rate struct {
	From civil.Date
	Rate float64
}

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

// IsCode reports whether s is an ISO 4217 code: three capital letters.
func IsCode(s string) bool { return currencyCode.MatchString(s) }

func (c *Currency) read(lines map[string]int) diag.List {
	var diags diag.List
	c.Line = lines["currency"]
	c.Corporate = strings.ToUpper(strings.TrimSpace(c.Corporate))
	if c.Corporate != "" && !IsCode(c.Corporate) {
		diags.Errorf(File, lines["currency.corporate"], "[currency] corporate = %q: use the ISO code of the currency, like \"USD\" or \"EUR\"", c.Corporate)
	}
	if len(c.RatesRaw) > 0 && c.Corporate == "" {
		diags.Errorf(File, lines["currency.rates"], "[currency.rates] needs [currency] corporate = \"<ISO code>\": the currency the rates convert to")
	}
	c.Rates = map[string][]Rate{}
	for code, v := range c.RatesRaw {
		line := lines["currency.rates."+code]
		up := strings.ToUpper(code)
		if !IsCode(up) {
			diags.Errorf(File, line, "[currency.rates] %q is not a currency code; use three letters like MXN", code)
			continue
		}
		switch v := v.(type) {
		case map[string]any:
			for day, r := range v {
				from, err := time.Parse("2006-01-02", day)
				rate, ok := rateValue(r)
				if err != nil || !ok {
					diags.Errorf(File, lines["currency.rates."+code+"."+day], "[currency.rates.%s] %s = %v: write each dated rate as 2023-07-01 = 0.055 (%s per %s, more than 0)", code, day, r, c.Corporate, up)
					continue
				}
				c.Rates[up] = append(c.Rates[up], Rate{From: civil.FromTime(from), Rate: rate})
			}
			slices.SortFunc(c.Rates[up], func(a, b Rate) int { return int(a.From) - int(b.From) })
		default:
			rate, ok := rateValue(v)
			if !ok {
				diags.Errorf(File, line, "[currency.rates] %s = %v: give how many %s one %s is worth (more than 0), or a table of dated rates", code, v, c.Corporate, up)
				continue
			}
			c.Rates[up] = []Rate{{From: civil.None, Rate: rate}}
		}
	}
	return diags
}

func rateValue(v any) (float64, bool) {
	switch v := v.(type) {
	case int64:
		return float64(v), v > 0
	case float64:
		return v, v > 0
	}
	return 0, false
}

// RateOf is what one unit of code is worth in the corporate currency on
// day: the latest dated rate from on or before day (the first one before
// every date), or the fixed rate. ok is false without a rate.
func (c *Currency) RateOf(code string, day civil.Date) (float64, bool) {
	if code == c.Corporate {
		return 1, true
	}
	rs := c.Rates[code]
	if len(rs) == 0 {
		return 0, false
	}
	r, _ := RateOn(rs, day)
	return r, true
}

// RateOn is the rate of rs (one currency's rates, oldest first) that
// holds on day: the latest dated rate from on or before day, else the
// first one. from is the day that rate is dated (civil.None for a fixed
// rate). rs must not be empty.
func RateOn(rs []Rate, day civil.Date) (rate float64, from civil.Date) {
	i := 0
	for j, x := range rs {
		if day.Valid() && x.From.Valid() && x.From <= day {
			i = j
		}
	}
	return rs[i].Rate, rs[i].From
}

// HowToRate says how to give the rate of code for a deal, for messages.
func (c *Currency) HowToRate(code string) string {
	if c.Corporate == "" {
		return c.RateHint(code)
	}
	return c.RateHint(code) + ", or export the converted amount"
}

// RateHint says how to give the rate of code in coachbook.toml.
func (c *Currency) RateHint(code string) string {
	if c.Corporate == "" {
		return fmt.Sprintf("set [currency] corporate = \"<ISO code>\" in coachbook.toml and give [currency.rates] %s = <corporate units per %s>", code, code)
	}
	return fmt.Sprintf("add [currency.rates] %s = <%s per %s> (or dated rates) to coachbook.toml", code, c.Corporate, code)
}
