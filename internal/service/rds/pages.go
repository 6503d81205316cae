package rds

import "context"

// The API's listings (instances, backups, the task list) page by offset and limit and say how
// many items there are in all (total_count). walkPages is the one loop that reads them; the
// database listing pages by page number instead (ListAllDatabases).

// walkPages reads an offset-paged listing from offset on: read returns one page's items and
// total_count, and each is given every page's items in order. It stops when total_count is
// reached or a page is empty (so a server that miscounts cannot make it loop forever), or after
// maxPages pages (<= 0: no bound). complete says the listing was read to its end; pages is how
// many reads were made, the failed one included.
func walkPages[T any](offset, maxPages int, read func(offset int) ([]T, int, error), each func([]T)) (pages int, complete bool, err error) {
	for maxPages <= 0 || pages < maxPages {
		items, total, err := read(offset)
		pages++
		if err != nil {
			return pages, false, err
		}
		each(items)
		offset += len(items)
		if len(items) == 0 || offset >= total {
			return pages, true, nil
		}
	}
	return pages, false, nil
}

// InstanceLister reads one page of instances (*Client.ListInstances, or a test's fake).
type InstanceLister interface {
	ListInstances(ctx context.Context, opts ListInstancesOptions) (*ListInstancesResponse, error)
}

// ListInstancePages is the one paged listing of instances: it reads the instances of the
// project (filtered by opts), maxPageSize a page from opts.Offset on, for at most maxPages pages
// (<= 0: every page), and gives each page to each. complete says every instance was listed.
func ListInstancePages(ctx context.Context, l InstanceLister, opts ListInstancesOptions, maxPages int, each func([]Instance)) (pages int, complete bool, err error) {
	if opts.Limit <= 0 || opts.Limit > maxPageSize {
		opts.Limit = maxPageSize
	}
	return walkPages(opts.Offset, maxPages, func(offset int) ([]Instance, int, error) {
		opts.Offset = offset
		page, err := l.ListInstances(ctx, opts)
		if err != nil {
			return nil, 0, err
		}
		return page.Instances, page.TotalCount, nil
	}, each)
}
