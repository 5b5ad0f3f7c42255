// A template parameterised by its caller: hoist gives no arguments.
function(name) {
  heat_template_version: 'queens',
  outputs: { role_data: { value: { service_name: name } } },
}
