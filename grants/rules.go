package grants

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Rule is one eligibility or match-funding condition, as data: a Kind and
// the parameters that kind uses. A fund is configured with a list of rules
// (all must pass); All, Any and Not compose them. Rules encode to and from
// JSON, so a council writes its own fund's rules in a file:
//
//	[{"kind":"amount","min":"50","max":"250"},
//	 {"kind":"supporters","count":3,"minutes":60},
//	 {"kind":"match","hourlyRate":"12","share":"1"}]
//
// Evaluating a rule gives a Check: pass or fail with a reason in plain
// words that an officer can send to the applicant.
type Rule struct {
	Kind RuleKind `json:"kind"`
	// Name labels the rule in checks; the kind is used when empty.
	Name string `json:"name,omitempty"`

	// KindAmount: the request must be within [Min, Max]; a nil bound is
	// the fund's MinAward or MaxAward.
	Min *decimal.Decimal `json:"min,omitempty"`
	Max *decimal.Decimal `json:"max,omitempty"`
	// KindApplicantType: the applicant must be one of Types.
	Types []ApplicantType `json:"types,omitempty"`
	// KindExclusions: the application must have none of these Purposes.
	Exclude []string `json:"exclude,omitempty"`
	// KindSupporters: at least Count supporters, each pledging at least
	// Minutes (at least one minute when Minutes is 0).
	Count   int   `json:"count,omitempty"`
	Minutes int64 `json:"minutes,omitempty"`
	// KindMatch: pledged volunteer time valued at HourlyRate pounds an
	// hour, plus cash and in-kind match, must reach Share of the request
	// (1 is 100%).
	HourlyRate *decimal.Decimal `json:"hourlyRate,omitempty"`
	Share      *decimal.Decimal `json:"share,omitempty"`
	// KindPriorities: the application must address at least one of
	// Priorities (the fund's priorities when empty).
	Priorities []string `json:"priorities,omitempty"`
	// KindAll, KindAny, KindNot: the rules composed.
	Rules []Rule `json:"rules,omitempty"`
}

// RuleKind names what a rule checks.
type RuleKind string

// Rule kinds.
const (
	KindAmount         RuleKind = "amount"
	KindApplicantType  RuleKind = "applicant-type"
	KindNewIdea        RuleKind = "new-idea"         // a one-off idea not funded before by this fund
	KindNoRunningCosts RuleKind = "no-running-costs" // no ongoing running costs
	KindExclusions     RuleKind = "exclusions"
	KindSupporters     RuleKind = "supporters"
	KindMatch          RuleKind = "match"
	KindPriorities     RuleKind = "priorities"
	KindAll            RuleKind = "all"
	KindAny            RuleKind = "any"
	KindNot            RuleKind = "not"
)

// maxRuleDepth bounds how deeply rules nest.
const maxRuleDepth = 8

// Validate checks that the rule's parameters make sense for its kind.
func (r *Rule) Validate() error { return r.validate(0) }

func (r *Rule) validate(depth int) error {
	if depth > maxRuleDepth {
		return invalid("Rules", "nested more than %d deep", maxRuleDepth)
	}
	if err := checkText("Name", r.Name, MaxName); err != nil {
		return err
	}
	if err := checkTexts("Exclude", r.Exclude, MaxTag); err != nil {
		return err
	}
	if err := checkTexts("Priorities", r.Priorities, MaxTag); err != nil {
		return err
	}
	switch r.Kind {
	case KindAmount:
		for f, d := range map[string]*decimal.Decimal{"Min": r.Min, "Max": r.Max} {
			if d != nil {
				if err := CheckMoney(f, *d, false); err != nil {
					return err
				}
			}
		}
		if r.Min != nil && r.Max != nil && r.Max.LessThan(*r.Min) {
			return invalid("Max", "is less than Min")
		}
	case KindApplicantType:
		if len(r.Types) == 0 {
			return invalid("Types", "at least one applicant type is required")
		}
		for _, t := range r.Types {
			if !slices.Contains([]ApplicantType{Individual, UnconstitutedGroup, Charity, Company}, t) {
				return invalid("Types", "%q is not an applicant type", t)
			}
		}
	case KindNewIdea, KindNoRunningCosts:
	case KindExclusions:
		if len(r.Exclude) == 0 {
			return invalid("Exclude", "at least one excluded purpose is required")
		}
	case KindSupporters:
		if r.Count < 1 || r.Count > 100 {
			return invalid("Count", "must be between 1 and 100")
		}
		if r.Minutes < 0 || r.Minutes > 24*60*366 {
			return invalid("Minutes", "is out of range")
		}
	case KindMatch:
		if r.HourlyRate == nil {
			return invalid("HourlyRate", "is required")
		}
		if err := CheckMoney("HourlyRate", *r.HourlyRate, false); err != nil {
			return err
		}
		if r.Share == nil || r.Share.IsNegative() || r.Share.GreaterThan(decimal.NewFromInt(100)) {
			return invalid("Share", "is required, from 0 (0%%) to 100 (10,000%%)")
		}
	case KindPriorities:
	case KindAll, KindAny:
		if len(r.Rules) == 0 {
			return invalid("Rules", "%s needs at least one rule", r.Kind)
		}
		for i := range r.Rules {
			if err := r.Rules[i].validate(depth + 1); err != nil {
				return err
			}
		}
	case KindNot:
		if len(r.Rules) != 1 {
			return invalid("Rules", "not takes exactly one rule")
		}
		return r.Rules[0].validate(depth + 1)
	default:
		return invalid("Kind", "%q is not a rule kind", r.Kind)
	}
	return nil
}

// ParseRules decodes a JSON array of rules and validates each. It is how a
// council loads its fund's rules from a file.
func ParseRules(data []byte) ([]Rule, error) {
	var rs []Rule
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rs); err != nil {
		return nil, invalid("Rules", "not a JSON array of rules: %v", err)
	}
	if dec.More() {
		return nil, invalid("Rules", "text after the JSON array")
	}
	for i := range rs {
		if err := rs[i].Validate(); err != nil {
			return nil, prefixField(err, fmt.Sprintf("Rules[%d]", i))
		}
	}
	return rs, nil
}

// Check is the result of one rule for one application.
type Check struct {
	Rule   string // the rule's name or kind
	Pass   bool
	Reason string
}

// Eligibility is the result of a fund's rules for one application.
type Eligibility struct {
	Pass   bool
	Checks []Check
}

// Failures returns the reasons of the checks that failed.
func (e *Eligibility) Failures() []string {
	var out []string
	for _, c := range e.Checks {
		if !c.Pass {
			out = append(out, c.Rule+": "+c.Reason)
		}
	}
	return out
}

// reasonFundedBefore is why KindNewIdea fails; Approve gives the same
// reason when the store refuses a second claim on an idea.
const reasonFundedBefore = "this idea has been funded before; the fund pays for new one-off projects"

// Env is what rules need to know beyond the application itself.
type Env struct {
	Fund *Fund
	// FundedBefore reports that the application's idea was funded before
	// by this fund (for KindNewIdea).
	FundedBefore bool
}

// Evaluate runs rules against an application and returns every check, in
// order. The application passes when every rule passes.
func Evaluate(rules []Rule, a *Application, env Env) Eligibility {
	e := Eligibility{Pass: true, Checks: make([]Check, 0, len(rules))}
	for i := range rules {
		c := rules[i].Eval(a, env)
		e.Pass = e.Pass && c.Pass
		e.Checks = append(e.Checks, c)
	}
	return e
}

// Eval evaluates one rule.
func (r *Rule) Eval(a *Application, env Env) Check {
	name := r.Name
	if name == "" {
		name = string(r.Kind)
	}
	pass, reason := r.eval(a, env)
	return Check{Rule: name, Pass: pass, Reason: reason}
}

var hour = decimal.NewFromInt(60)

func (r *Rule) eval(a *Application, env Env) (bool, string) {
	switch r.Kind {
	case KindAmount:
		lo, hi := r.bounds(env.Fund)
		if a.Amount.LessThan(lo) {
			return false, fmt.Sprintf("%s is less than the minimum of %s", pounds(a.Amount), pounds(lo))
		}
		if !hi.IsZero() && a.Amount.GreaterThan(hi) {
			return false, fmt.Sprintf("%s is more than the maximum of %s", pounds(a.Amount), pounds(hi))
		}
		return true, pounds(a.Amount) + " is within " + pounds(lo) + " to " + pounds(hi)
	case KindApplicantType:
		if slices.Contains(r.Types, a.Applicant.Type) {
			return true, "a " + string(a.Applicant.Type) + " may apply"
		}
		return false, fmt.Sprintf("a %s may not apply to this fund", a.Applicant.Type)
	case KindNewIdea:
		if env.FundedBefore {
			return false, reasonFundedBefore
		}
		return true, "a new idea, not funded before"
	case KindNoRunningCosts:
		for _, c := range a.Costs {
			if c.Running {
				return false, fmt.Sprintf("%q is an ongoing running cost, which the fund does not pay", c.Item)
			}
		}
		return true, "no ongoing running costs"
	case KindExclusions:
		for _, p := range a.Purposes {
			if slices.Contains(r.Exclude, p) {
				return false, fmt.Sprintf("the fund does not pay for projects that involve %s", p)
			}
		}
		return true, "no excluded purposes"
	case KindSupporters:
		min := max(r.Minutes, 1)
		n := 0
		for i, s := range a.Supporters {
			// A person named twice counts once.
			if s.Pledged >= min && !slices.ContainsFunc(a.Supporters[:i], func(o Supporter) bool {
				return o.Pledged >= min && sameSupporter(o.Name, s.Name)
			}) {
				n++
			}
		}
		if n < r.Count {
			return false, fmt.Sprintf("%d supporters pledge at least %s each; %d are needed", n, hm(min), r.Count)
		}
		return true, strconv.Itoa(n) + " supporters pledge at least " + hm(min) + " each"
	case KindMatch:
		value := r.HourlyRate.Mul(decimal.NewFromInt(a.PledgedMinutes())).DivRound(hour, 2)
		total := value.Add(a.CashMatch).Add(a.InKindMatch)
		need := a.Amount.Mul(*r.Share).Round(2)
		if total.LessThan(need) {
			return false, fmt.Sprintf("match of %s (%s of time at %s an hour, %s cash, %s in kind) is less than the %s needed",
				pounds(total), hm(a.PledgedMinutes()), pounds(*r.HourlyRate), pounds(a.CashMatch), pounds(a.InKindMatch), pounds(need))
		}
		return true, "match of " + pounds(total) + " reaches the " + pounds(need) + " needed"
	case KindPriorities:
		ps := r.Priorities
		if len(ps) == 0 && env.Fund != nil {
			ps = env.Fund.Priorities
		}
		for _, p := range a.Priorities {
			if slices.Contains(ps, p) {
				return true, "addresses the priority " + strconv.Quote(p)
			}
		}
		return false, "addresses none of the fund's priorities"
	case KindAll:
		for i := range r.Rules {
			if c := r.Rules[i].Eval(a, env); !c.Pass {
				return false, c.Reason
			}
		}
		return true, "all conditions met"
	case KindAny:
		var reasons []string
		for i := range r.Rules {
			c := r.Rules[i].Eval(a, env)
			if c.Pass {
				return true, c.Reason
			}
			reasons = append(reasons, c.Reason)
		}
		return false, "none of the conditions is met: " + strings.Join(reasons, "; ")
	case KindNot:
		c := r.Rules[0].Eval(a, env)
		if c.Pass {
			return false, "must not hold: " + c.Reason
		}
		return true, c.Reason
	}
	return false, fmt.Sprintf("unknown rule kind %q", r.Kind)
}

// bounds returns the amount rule's range, defaulting to the fund's.
func (r *Rule) bounds(f *Fund) (lo, hi decimal.Decimal) {
	if f != nil {
		lo, hi = f.MinAward, f.MaxAward
	}
	if r.Min != nil {
		lo = *r.Min
	}
	if r.Max != nil {
		hi = *r.Max
	}
	return lo, hi
}

// hm formats minutes as "3h" or "2h30m".
func hm(m int64) string {
	if m%60 == 0 {
		return strconv.FormatInt(m/60, 10) + "h"
	}
	return fmt.Sprintf("%dh%02dm", m/60, m%60)
}

// SmallSparksRules are Thurrock's Small Sparks rules as the seed documents
// give them: new one-off projects (000) of £50 to £250 (001), run by
// individuals or groups, with at least three neighbours each pledging
// time, and the grant matched at least pound for pound by the community's
// "sweat equity" valued at £12 an hour (002).
func SmallSparksRules() []Rule {
	min, max := decimal.NewFromInt(50), decimal.NewFromInt(250)
	rate, share := decimal.NewFromInt(12), decimal.NewFromInt(1)
	return []Rule{
		{Kind: KindAmount, Min: &min, Max: &max},
		{Kind: KindApplicantType, Types: []ApplicantType{Individual, UnconstitutedGroup, Charity}},
		{Kind: KindNewIdea},
		{Kind: KindNoRunningCosts},
		{Kind: KindExclusions, Exclude: []string{"faith-promotion", "party-political"}},
		{Kind: KindSupporters, Count: 3, Minutes: 60},
		{Kind: KindMatch, HourlyRate: &rate, Share: &share},
		{Kind: KindPriorities},
	}
}
