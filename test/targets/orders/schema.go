package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"pprofstudio/targets/internal/detrand"
)

// The catalog schema is generated rather than shipped so the module stays small. The
// generator is deterministic: every run, and every fixture, sees the same bytes.
const (
	schemaCategories = 16
	schemaBranching  = 3
	schemaDepth      = 5 // levels of nested variants under each category
)

var loremWords = []string{
	"durable", "recycled", "premium", "compact", "organic", "wireless", "ceramic",
	"limited", "seasonal", "bulk", "refurbished", "imported", "handmade", "certified",
}

func categoryName(c int) string { return "category_" + strconv.Itoa(c) }

// generateSchema builds the JSON schema of the product catalog (about 2.3 MB).
func generateSchema() []byte {
	var b bytes.Buffer
	r := detrand.New(0x5eed)
	b.WriteString(`{"$schema":"https://json-schema.org/draft/2020-12/schema",`)
	b.WriteString(`"title":"OrderCatalog","version":7,"definitions":{`)
	for c := 0; c < schemaCategories; c++ {
		if c > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:", categoryName(c))
		writeSchemaNode(&b, r, categoryName(c), 0)
	}
	b.WriteString(`}}`)
	return b.Bytes()
}

func writeSchemaNode(b *bytes.Buffer, r *detrand.Rand, path string, depth int) {
	fmt.Fprintf(b, `{"type":"object","description":"%s: %s %s %s item","x-price-floor":%d,`,
		path, loremWords[r.Intn(len(loremWords))], loremWords[r.Intn(len(loremWords))],
		loremWords[r.Intn(len(loremWords))], r.Intn(10000))
	b.WriteString(`"required":["sku","qty"],"properties":{`)
	b.WriteString(`"sku":{"type":"string","pattern":"^[A-Z]{3}-[0-9]{6}$","maxLength":10},`)
	fmt.Fprintf(b, `"qty":{"type":"integer","minimum":1,"maximum":%d},`, 1+r.Intn(999))
	fmt.Fprintf(b, `"weight":{"type":"number","minimum":0,"maximum":%d.%d}`, r.Intn(90), r.Intn(100))
	if depth < schemaDepth {
		for i := 0; i < schemaBranching; i++ {
			fmt.Fprintf(b, `,"variant_%d":`, i)
			writeSchemaNode(b, r, path+"/variant_"+strconv.Itoa(i), depth+1)
		}
	}
	fmt.Fprintf(b, `},"x-tags":["%s","%s"]}`, loremWords[r.Intn(len(loremWords))], loremWords[r.Intn(len(loremWords))])
}

// parseSchema decodes the catalog schema. In "before" mode it runs for every order.
//
//go:noinline
func parseSchema(data []byte) (map[string]any, error) {
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("catalog schema: %w", err)
	}
	return m, nil
}

// validateOrder checks every line of an order against its category's schema.
//
//go:noinline
func validateOrder(schema map[string]any, o *order) error {
	defs, _ := schema["definitions"].(map[string]any)
	for i := range o.lines {
		l := &o.lines[i]
		node, ok := defs[categoryName(l.category)].(map[string]any)
		if !ok {
			return fmt.Errorf("order %d: unknown category %d", o.id, l.category)
		}
		if err := validateNode(node, l.variantPath[:], l); err != nil {
			return fmt.Errorf("order %d line %d: %w", o.id, i, err)
		}
	}
	return nil
}

// validateNode follows the line's variant path down the schema, checking each level; it
// recurses once per level, so profiles show main.validateNode calling itself.
//
//go:noinline
func validateNode(node map[string]any, path []int, l *lineSpec) error {
	if node["type"] != "object" {
		return fmt.Errorf("schema node is not an object")
	}
	props, _ := node["properties"].(map[string]any)
	qty, _ := props["qty"].(map[string]any)
	if max, ok := qty["maximum"].(float64); ok && float64(l.qty) > max {
		l.qty = int(max)
	}
	if len(path) == 0 {
		walkSchema(node, 0)
		return nil
	}
	next, ok := props["variant_"+strconv.Itoa(path[0])].(map[string]any)
	if !ok {
		// The leaf was reached before the path ended: validate what is there.
		walkSchema(node, 0)
		return nil
	}
	return validateNode(next, path[1:], l)
}

// walkSchema visits every node below a schema node (recursively) and counts its fields.
//
//go:noinline
func walkSchema(v any, depth int) int {
	n := 1
	switch t := v.(type) {
	case map[string]any:
		for _, child := range t {
			n += walkSchema(child, depth+1)
		}
	case []any:
		for _, child := range t {
			n += walkSchema(child, depth+1)
		}
	}
	return n
}
