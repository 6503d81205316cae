// Command ruledocs writes the rule tables of the documentation templates from the rule
// catalogue (internal/rules), so the resource page always lists the rules the code checks.
//
//	ruledocs generate FILE...   rewrite the marked tables of each file
//	ruledocs check FILE...      fail, naming the file, when a marked table differs from the catalogue
package main
