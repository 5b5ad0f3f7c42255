package yaql

// yaql's date_time module.

func datetimeLib() map[string][]*overload {
	return map[string][]*overload{}
}
