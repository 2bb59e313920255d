// The client's streams closed lately (see closed_streams.h).
#include "closed_streams.h"

#include <algorithm>

namespace paf::h2 {

void ClosedStreams::note_closed(std::int32_t id, Closing closing) {
  ids_[next_] = id;
  closings_[next_] = closing;
  next_ = static_cast<std::uint8_t>((next_ + 1) % kCapacity);
}

void ClosedStreams::note(std::int32_t id, Closing closing) {
  auto slot = std::find(ids_.begin(), ids_.end(), id);
  if (slot == ids_.end()) return note_closed(id, closing);
  closings_[static_cast<std::size_t>(slot - ids_.begin())] = closing;
}

void ClosedStreams::note_client_reset(std::int32_t id) {
  auto slot = std::find(ids_.begin(), ids_.end(), id);
  if (slot != ids_.end() && id != 0)
    closings_[static_cast<std::size_t>(slot - ids_.begin())] = Closing::by_client_reset;
}

ClosedStreams::Answer ClosedStreams::late_frame(std::int32_t id, bool is_data) {
  auto slot = std::find(ids_.begin(), ids_.end(), id);
  if (slot == ids_.end() || id == 0) return is_data ? Answer::stream_error : Answer::ignore;
  Closing& closing = closings_[static_cast<std::size_t>(slot - ids_.begin())];
  switch (closing) {
    case Closing::by_client_end:
      return Answer::connection_error;
    case Closing::by_client_reset:
      closing = Closing::by_server_reset;  // the stream error's RST_STREAM
      return Answer::stream_error;
    case Closing::by_server_reset:
    case Closing::none:
      break;
  }
  return Answer::ignore;
}

}  // namespace paf::h2
