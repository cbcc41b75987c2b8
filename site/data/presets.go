package data

// preset knows the headers a CRM's standard exports use, per kind of file
// and canonical field (several spellings each, tried in order), and the
// stage labels that mean won and lost. A preset only fills in what
// [data.<kind>.columns] and [data.<kind>.stages] leave unset.
type preset struct {
	columns map[string]map[string][]string
	won     []string
	lost    []string
}

var presets = map[string]preset{
	"": {},
	// Salesforce report exports ("Export > Details only", CSV), and the
	// org's own Data Export (one file per object, API field names:
	// Opportunity.csv, OpportunityHistory.csv, Task.csv, Event.csv), whose
	// owner is a user id (give it as the rep's alias in data/team.toml).
	"salesforce": {
		columns: map[string]map[string][]string{
			"opportunities": {
				"id":                {"Opportunity ID", "Opportunity Id", "Id"},
				"rep":               {"Opportunity Owner", "Owner Name", "Owner", "OwnerId"},
				"account":           {"Account Name", "Account", "AccountId"},
				"name":              {"Opportunity Name", "Name"},
				"stage":             {"Stage", "StageName"},
				"amount":            {"Amount", "Amount (converted)"},
				"created":           {"Created Date", "CreatedDate"},
				"close_date":        {"Close Date", "CloseDate"},
				"forecast_category": {"Forecast Category", "ForecastCategoryName"},
				"currency":          {"Opportunity Currency", "CurrencyIsoCode", "Currency"},
				"amount_converted":  {"Amount (converted)"},
				"last_activity":     {"Last Activity", "LastActivityDate"},
				"stage_changed":     {"Last Stage Change Date", "LastStageChangeDate"},
			},
			// Reports, and the Data Export's Task.csv and Event.csv: the
			// type is the first non-blank of the columns the file has.
			"activities": {
				"date": {"Date", "Activity Date", "Due Date", "ActivityDate"},
				"rep":  {"Assigned", "Assigned To", "Owner", "OwnerId"},
				"type": {"Task Subtype", "Activity Type", "Type", "TaskSubtype", "EventSubtype"},
			},
			// The "Opportunity History" report: one row per change, with
			// the deal's values after it.
			"history": {
				"id":                {"Opportunity ID", "Opportunity Id", "OpportunityId"},
				"date":              {"Last Modified", "Edit Date", "Last Modified Date", "CreatedDate"},
				"rep":               {"Opportunity Owner", "Owner Name"},
				"stage":             {"To Stage", "Stage", "StageName"},
				"amount":            {"Amount"},
				"close_date":        {"Close Date", "CloseDate"},
				"forecast_category": {"Forecast Category", "ForecastCategory", "ForecastCategoryName"},
				"created":           {"Opportunity Created Date"},
				"currency":          {"CurrencyIsoCode", "Opportunity Currency"},
			},
			"forecasts": {
				"rep":       {"Owner", "Forecast Owner"},
				"period":    {"Period", "Forecast Period"},
				"commit":    {"Commit Forecast", "Commit"},
				"best_case": {"Best Case Forecast", "Best Case"},
				"currency":  {"Forecast Currency", "CurrencyIsoCode", "Currency"},
			},
		},
		won:  []string{"Closed Won"},
		lost: []string{"Closed Lost"},
	},
	// HubSpot "Export view" of deals and activities.
	"hubspot": {
		columns: map[string]map[string][]string{
			"opportunities": {
				"id":                {"Record ID", "Deal ID"},
				"rep":               {"Deal owner", "Deal Owner", "HubSpot Owner"},
				"account":           {"Associated Company", "Associated Company (Primary)", "Company name"},
				"name":              {"Deal Name"},
				"stage":             {"Deal Stage"},
				"amount":            {"Amount", "Amount in company currency"},
				"created":           {"Create Date", "Created Date"},
				"close_date":        {"Close Date"},
				"forecast_category": {"Forecast category", "Forecast Category"},
				"currency":          {"Currency", "Deal currency code"},
				"amount_converted":  {"Amount in company currency"},
				"last_activity":     {"Last Activity Date", "Last activity date"},
				"stage_changed":     {"Date entered current stage"},
			},
			// Deal property history: one row per property change.
			"history": {
				"id":       {"Record ID", "Deal ID", "Object ID"},
				"date":     {"Timestamp", "Change date", "Changed at", "Updated at"},
				"rep":      {"Deal owner", "Deal Owner"},
				"property": {"Property", "Property name", "Property internal name"},
				"value":    {"Value", "New value", "Property value"},
			},
			"activities": {
				"date": {"Activity date", "Activity Date", "Create Date"},
				"rep":  {"Activity assigned to", "Assigned to", "Owner", "Activity owner"},
				"type": {"Activity type", "Activity Type", "Type"},
			},
		},
		won:  []string{"Closed Won", "closedwon"},
		lost: []string{"Closed Lost", "closedlost"},
	},
	// Pipedrive exports prefix every header with the entity: "Deal - Title".
	// The outcome is in "Deal - Status" (open, won, lost), with its own dates.
	"pipedrive": {
		columns: map[string]map[string][]string{
			"opportunities": {
				"id":            {"Deal - ID"},
				"rep":           {"Deal - Owner", "Deal - Owner name"},
				"account":       {"Deal - Organization", "Deal - Organization name"},
				"name":          {"Deal - Title"},
				"stage":         {"Deal - Stage"},
				"status":        {"Deal - Status"},
				"amount":        {"Deal - Value"},
				"currency":      {"Deal - Currency", "Deal - Currency of Value", "Currency of Value"},
				"created":       {"Deal - Deal created", "Deal - Add time"},
				"close_date":    {"Deal - Expected close date"},
				"won_date":      {"Deal - Won time", "Deal - Won date"},
				"lost_date":     {"Deal - Lost time", "Deal - Lost date"},
				"last_activity": {"Deal - Last activity date"},
				"stage_changed": {"Deal - Last stage change", "Deal - Stage change time"},
			},
			"activities": {
				"date": {"Activity - Due date", "Activity - Done time"},
				"rep":  {"Activity - Assigned to user", "Activity - Owner"},
				"type": {"Activity - Type"},
			},
		},
		won:  []string{"Won"},
		lost: []string{"Lost"},
	},
}
