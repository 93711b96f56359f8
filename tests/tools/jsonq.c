// SPDX-License-Identifier: GPL-2.0
/*
 * jsonq: parse JSON from stdin with json-c and print one value, so VM
 * scenarios check the CLI's --json output with a real parser, not grep.
 *
 *   jsonq PATH     PATH is "." or ".key.0.key" (numbers index arrays);
 *                  a trailing ".length" gives an array's or object's size
 *
 * Strings print raw, other values as JSON. Exit 0 found, 1 no such path,
 * 2 the input is not valid JSON (or has trailing garbage), 3 usage.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_all(FILE *f)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	size_t n;

	if (!buf)
		return NULL;
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 2) {
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
	}
	buf[len] = '\0';
	return buf;
}

int main(int argc, char **argv)
{
	struct json_tokener *tok;
	struct json_object *root, *cur;
	char *text, *path, *part, *save = NULL;
	int rc = 0;

	if (argc != 2 || argv[1][0] != '.') {
		fprintf(stderr, "usage: jsonq .path.to.value < file.json\n");
		return 3;
	}
	text = read_all(stdin);
	if (!text)
		return 2;
	tok = json_tokener_new();
	root = json_tokener_parse_ex(tok, text, (int)strlen(text));
	if (!root || json_tokener_get_error(tok) != json_tokener_success ||
	    text[strspn(text + json_tokener_get_parse_end(tok), " \t\r\n") +
		 json_tokener_get_parse_end(tok)] != '\0') {
		fprintf(stderr, "jsonq: not valid JSON\n");
		return 2;
	}

	cur = root;
	path = strdup(argv[1]);
	for (part = strtok_r(path, ".", &save); part;
	     part = strtok_r(NULL, ".", &save)) {
		char *end;
		long idx = strtol(part, &end, 10);

		if (!strcmp(part, "length") && !strtok_r(NULL, ".", &save)) {
			if (json_object_is_type(cur, json_type_array))
				printf("%zu\n", json_object_array_length(cur));
			else if (json_object_is_type(cur, json_type_object))
				printf("%d\n", json_object_object_length(cur));
			else
				rc = 1;
			goto out;
		}
		if (*end == '\0' && json_object_is_type(cur, json_type_array)) {
			if (idx < 0 || (size_t)idx >= json_object_array_length(cur)) {
				rc = 1;
				goto out;
			}
			cur = json_object_array_get_idx(cur, idx);
		} else if (!json_object_object_get_ex(cur, part, &cur)) {
			rc = 1;
			goto out;
		}
	}
	if (json_object_is_type(cur, json_type_string))
		printf("%s\n", json_object_get_string(cur));
	else
		printf("%s\n", json_object_to_json_string_ext(cur, JSON_C_TO_STRING_PLAIN));
out:
	free(path);
	json_tokener_free(tok);
	json_object_put(root);
	free(text);
	return rc;
}
