// The callable type paf stores: move-only, so callbacks may own resources.
#ifndef PAF_FUNCTION_H
#define PAF_FUNCTION_H

#include <functional>

namespace paf {

template <typename Signature>
using Function = std::move_only_function<Signature>;

}  // namespace paf

#endif
